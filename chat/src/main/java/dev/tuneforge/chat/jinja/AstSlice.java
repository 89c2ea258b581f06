package dev.tuneforge.chat.jinja;

import com.hubspot.jinjava.objects.collections.PyList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import org.jspecify.annotations.Nullable;

/** {@code sequence[start:stop:step]} with Python's rules for omitted, negative and large bounds. */
final class AstSlice extends AstRightValue {

  private final AstNode sequence;
  private final @Nullable AstNode start;
  private final @Nullable AstNode stop;
  private final @Nullable AstNode step;

  AstSlice(
      AstNode sequence, @Nullable AstNode start, @Nullable AstNode stop, @Nullable AstNode step) {
    this.sequence = sequence;
    this.start = start;
    this.stop = stop;
    this.step = step;
  }

  @Override
  public Object eval(Bindings bindings, ELContext context) {
    Object base = sequence.eval(bindings, context);
    List<?> items =
        switch (base) {
          case String text -> Arrays.stream(text.codePoints().toArray()).boxed().toList();
          case List<?> list -> list;
          case Iterable<?> iterable -> {
            List<Object> copy = new ArrayList<>();
            iterable.forEach(copy::add);
            yield copy;
          }
          case Object[] array -> Arrays.asList(array);
          case null, default -> throw new ELException(sequence + " cannot be sliced");
        };
    int size = items.size();
    int by = bound(step, bindings, context, 1, 0);
    if (by == 0) {
      throw new ELException("slice step cannot be zero");
    }
    int from = clamp(bound(start, bindings, context, by < 0 ? size - 1 : 0, size), size, by);
    int to = clamp(bound(stop, bindings, context, by < 0 ? -1 : size, size), size, by);
    List<Object> picked = new ArrayList<>();
    for (int i = from; by > 0 ? i < to : i > to; i += by) {
      picked.add(items.get(i));
    }
    if (base instanceof String) {
      StringBuilder text = new StringBuilder();
      picked.forEach(codePoint -> text.appendCodePoint((Integer) codePoint));
      return text.toString();
    }
    return new PyList(picked);
  }

  /** The bound's value, counted from the end when negative; {@code omitted} when absent. */
  private static int bound(
      @Nullable AstNode node, Bindings bindings, ELContext context, int omitted, int size) {
    if (node == null) {
      return omitted;
    }
    Object value = node.eval(bindings, context);
    if (value == null) {
      return omitted;
    }
    if (!(value instanceof Number number)) {
      throw new ELException("slice indices must be integers, not " + value);
    }
    int index = number.intValue();
    return index < 0 && size > 0 ? index + size : index;
  }

  /** Python's clamping of a bound that is still out of range. */
  private static int clamp(int index, int size, int step) {
    if (index < 0) {
      return step < 0 ? -1 : 0;
    }
    if (index >= size) {
      return step < 0 ? size - 1 : size;
    }
    return index;
  }

  @Override
  public void appendStructure(StringBuilder builder, Bindings bindings) {
    sequence.appendStructure(builder, bindings);
    builder.append('[');
    for (AstNode part : Arrays.asList(start, stop, step)) {
      if (part != null) {
        part.appendStructure(builder, bindings);
      }
      if (part != step) {
        builder.append(':');
      }
    }
    builder.append(']');
  }

  @Override
  public int getCardinality() {
    return 4;
  }

  @Override
  public @Nullable AstNode getChild(int i) {
    return switch (i) {
      case 0 -> sequence;
      case 1 -> start;
      case 2 -> stop;
      case 3 -> step;
      default -> null;
    };
  }

  @Override
  public String toString() {
    return "[::]";
  }
}
