package dev.tuneforge.app.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's list object: a page of {@code data} after the object {@code after}, with {@code
 * has_more} when the list goes on.
 */
record ListPage<T>(
    String object,
    List<T> data,
    @JsonProperty("first_id") @Nullable String firstId,
    @JsonProperty("last_id") @Nullable String lastId,
    @JsonProperty("has_more") boolean hasMore) {

  static final int MAX_LIMIT = 100;

  /**
   * The page of {@code all} (in the list's order) that starts after the item whose id is {@code
   * after} (null: at the start) and holds at most {@code limit} items.
   *
   * @throws OpenAiException for a limit out of 1 to {@value #MAX_LIMIT}, or an {@code after} that
   *     names nothing in the list
   */
  static <T> ListPage<T> of(
      List<T> all, Function<T, String> id, @Nullable String after, int limit) {
    checkLimit(limit);
    int start = 0;
    if (after != null) {
      start = -1;
      for (int i = 0; i < all.size(); i++) {
        if (id.apply(all.get(i)).equals(after)) {
          start = i + 1;
          break;
        }
      }
      if (start < 0) {
        throw OpenAiException.invalid("after names nothing in this list: '" + after + "'", "after");
      }
    }
    List<T> data = all.subList(start, Math.min(all.size(), start + limit));
    return page(data, id, start + data.size() < all.size());
  }

  /**
   * @throws OpenAiException for a limit out of 1 to {@value #MAX_LIMIT}
   */
  static void checkLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw OpenAiException.invalid(
          "limit must be between 1 and " + MAX_LIMIT + ", not " + limit, "limit");
    }
  }

  /** A page of {@code data} as it is. */
  static <T> ListPage<T> page(List<T> data, Function<T, String> id, boolean hasMore) {
    return new ListPage<>(
        "list",
        List.copyOf(data),
        data.isEmpty() ? null : id.apply(data.getFirst()),
        data.isEmpty() ? null : id.apply(data.getLast()),
        hasMore);
  }
}
