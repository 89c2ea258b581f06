package dev.tuneforge.chat.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code tojson} filter as transformers defines it for chat templates: Python's {@code
 * json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}, arguments
 * positional in that order or by name. So {@code {"a": [1, "b"]}} comes out with Python's spaces,
 * not Jinjava's compact JSON, and tool schemas render byte for byte as the model saw them.
 */
final class PythonToJson implements Filter {

  private record Style(
      boolean ensureAscii, @Nullable Integer indent, String item, String key, boolean sortKeys) {}

  @Override
  public String getName() {
    return "tojson";
  }

  @Override
  public Object filter(@Nullable Object value, JinjavaInterpreter interpreter, String... args) {
    return filter(value, interpreter, args, Map.of());
  }

  @Override
  public Object filter(
      @Nullable Object value,
      JinjavaInterpreter interpreter,
      Object[] args,
      Map<String, Object> kwargs) {
    boolean ensureAscii = truthy(argument(args, kwargs, 0, "ensure_ascii"));
    Object indentArgument = argument(args, kwargs, 1, "indent");
    Integer indent = indentArgument instanceof Number n ? Integer.valueOf(n.intValue()) : null;
    Object separators = argument(args, kwargs, 2, "separators");
    String item = indent == null ? ", " : ",";
    String key = ": ";
    if (separators instanceof List<?> pair && pair.size() == 2) {
      item = String.valueOf(pair.get(0));
      key = String.valueOf(pair.get(1));
    }
    boolean sortKeys = truthy(argument(args, kwargs, 3, "sort_keys"));
    StringBuilder json = new StringBuilder();
    write(json, value, new Style(ensureAscii, indent, item, key, sortKeys), 0);
    return json.toString();
  }

  private static @Nullable Object argument(
      Object[] args, Map<String, Object> kwargs, int position, String name) {
    return kwargs.containsKey(name)
        ? kwargs.get(name)
        : position < args.length ? args[position] : null;
  }

  private static boolean truthy(@Nullable Object value) {
    return value instanceof Boolean b
        ? b
        : value != null && !"false".equalsIgnoreCase(value.toString());
  }

  private static void write(StringBuilder json, @Nullable Object value, Style style, int depth) {
    switch (value) {
      case null -> json.append("null");
      case Boolean b -> json.append(b ? "true" : "false");
      case Double d -> json.append(pythonFloat(d));
      case Float f -> json.append(pythonFloat(f.doubleValue()));
      case Number n -> json.append(n);
      case Map<?, ?> map -> {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (style.sortKeys()) {
          entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
        }
        json.append('{');
        for (int i = 0; i < entries.size(); i++) {
          separate(json, i, style, depth + 1);
          string(json, String.valueOf(entries.get(i).getKey()), style.ensureAscii());
          json.append(style.key());
          write(json, entries.get(i).getValue(), style, depth + 1);
        }
        close(json, entries.isEmpty(), style, depth, '}');
      }
      case Collection<?> items -> {
        json.append('[');
        int i = 0;
        for (Object element : items) {
          separate(json, i++, style, depth + 1);
          write(json, element, style, depth + 1);
        }
        close(json, items.isEmpty(), style, depth, ']');
      }
      default -> string(json, value.toString(), style.ensureAscii());
    }
  }

  private static void separate(StringBuilder json, int index, Style style, int depth) {
    if (index > 0) {
      json.append(style.item());
    }
    if (style.indent() != null) {
      json.append('\n').append(" ".repeat(style.indent() * depth));
    }
  }

  private static void close(StringBuilder json, boolean empty, Style style, int depth, char end) {
    if (!empty && style.indent() != null) {
      json.append('\n').append(" ".repeat(style.indent() * depth));
    }
    json.append(end);
  }

  private static void string(StringBuilder json, String text, boolean ensureAscii) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (c < 0x20 || (ensureAscii && c > 0x7e)) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  /** Python's repr of a float: {@code 1.0}, {@code 0.001}, {@code 1e-05}, {@code 1e+16}. */
  private static String pythonFloat(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    int exponent = shortest.precision() - shortest.scale() - 1;
    if (value != 0 && (exponent < -4 || exponent >= 16)) {
      BigDecimal mantissa = shortest.movePointLeft(exponent);
      String digits = mantissa.toPlainString();
      return digits + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
    String plain = shortest.toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }
}
