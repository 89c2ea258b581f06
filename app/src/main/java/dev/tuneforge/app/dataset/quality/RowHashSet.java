package dev.tuneforge.app.dataset.quality;

/**
 * The set of exact-duplicate row hashes: open addressing over a {@code long[]}, 8 bytes a slot at
 * most half full instead of a {@code HashSet<Long>}'s boxed entry (about 60 bytes a row) and its
 * pointer chasing. The hashes are already mixed, so their low bits index the table directly.
 */
final class RowHashSet {
  private long[] slots = new long[1 << 12];
  private int size;
  private boolean zero;

  /** Adds {@code hash}; whether it was not there yet, as {@link java.util.Set#add} answers. */
  boolean add(long hash) {
    if (hash == 0) {
      boolean added = !zero;
      zero = true;
      return added;
    }
    int mask = slots.length - 1;
    int i = (int) hash & mask;
    while (true) {
      long slot = slots[i];
      if (slot == 0) {
        slots[i] = hash;
        if (++size > slots.length >>> 1) {
          grow();
        }
        return true;
      }
      if (slot == hash) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  int size() {
    return size + (zero ? 1 : 0);
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length << 1];
    int mask = slots.length - 1;
    for (long hash : old) {
      if (hash != 0) {
        int i = (int) hash & mask;
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = hash;
      }
    }
  }
}
