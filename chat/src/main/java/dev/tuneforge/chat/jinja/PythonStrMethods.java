package dev.tuneforge.chat.jinja;

import com.hubspot.jinjava.objects.collections.PyList;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ELResolver;
import org.jspecify.annotations.Nullable;

/**
 * The methods of Python's {@code str} that chat templates call ({@code
 * content.split('</think>')[-1].lstrip('\n')}, {@code content.startswith('<tool_response>')}), with
 * Python's meaning: {@code strip(chars)} strips those characters only, {@code split()} without a
 * separator splits on runs of whitespace. Other names and bases fall through to Jinjava.
 */
final class PythonStrMethods extends ELResolver {

  @Override
  public @Nullable Object invoke(
      ELContext context,
      @Nullable Object base,
      @Nullable Object method,
      Class<?> @Nullable [] paramTypes,
      Object @Nullable [] params) {
    if (!(base instanceof String text) || !(method instanceof String name)) {
      return null;
    }
    Object[] args = params == null ? new Object[0] : params;
    Object result =
        switch (name) {
          case "strip" -> rstrip(lstrip(text, chars(args)), chars(args));
          case "lstrip" -> lstrip(text, chars(args));
          case "rstrip" -> rstrip(text, chars(args));
          case "startswith" -> affixes(args).stream().anyMatch(text::startsWith);
          case "endswith" -> affixes(args).stream().anyMatch(text::endsWith);
          case "split" -> split(text, args);
          case "replace" -> replace(text, args);
          case "upper" -> text.toUpperCase(Locale.ROOT);
          case "lower" -> text.toLowerCase(Locale.ROOT);
          case "title" -> title(text);
          case "capitalize" ->
              text.isEmpty()
                  ? text
                  : text.substring(0, 1).toUpperCase(Locale.ROOT)
                      + text.substring(1).toLowerCase(Locale.ROOT);
          default -> null;
        };
    if (result != null) {
      context.setPropertyResolved(true);
    }
    return result;
  }

  /** The characters to strip; null (Python's None or no argument) strips whitespace. */
  private static @Nullable String chars(Object[] args) {
    return args.length == 0 || args[0] == null ? null : args[0].toString();
  }

  private static boolean strips(int codePoint, @Nullable String chars) {
    return chars == null ? isSpace(codePoint) : chars.indexOf(codePoint) >= 0;
  }

  /** Python's str.isspace, which counts no-break and other Unicode spaces too. */
  private static boolean isSpace(int codePoint) {
    return Character.isWhitespace(codePoint)
        || Character.isSpaceChar(codePoint)
        || codePoint == 0x85;
  }

  private static String lstrip(String text, @Nullable String chars) {
    int from = 0;
    while (from < text.length() && strips(text.codePointAt(from), chars)) {
      from += Character.charCount(text.codePointAt(from));
    }
    return text.substring(from);
  }

  private static String rstrip(String text, @Nullable String chars) {
    int to = text.length();
    while (to > 0 && strips(text.codePointBefore(to), chars)) {
      to -= Character.charCount(text.codePointBefore(to));
    }
    return text.substring(0, to);
  }

  /** startswith and endswith take a string or a tuple of strings. */
  private static List<String> affixes(Object[] args) {
    if (args.length == 0 || args[0] == null) {
      throw new ELException("startswith and endswith need a string or a tuple of strings");
    }
    if (args[0] instanceof Iterable<?> several) {
      List<String> affixes = new ArrayList<>();
      several.forEach(affix -> affixes.add(String.valueOf(affix)));
      return affixes;
    }
    return List.of(args[0].toString());
  }

  private static PyList split(String text, Object[] args) {
    @Nullable String separator = chars(args);
    int limit = args.length > 1 && args[1] instanceof Number n ? n.intValue() : -1;
    List<Object> parts = new ArrayList<>();
    if (separator == null) {
      String rest = lstrip(text, null);
      while (!rest.isEmpty() && (limit < 0 || parts.size() < limit)) {
        int end = 0;
        while (end < rest.length() && !isSpace(rest.codePointAt(end))) {
          end += Character.charCount(rest.codePointAt(end));
        }
        parts.add(rest.substring(0, end));
        rest = lstrip(rest.substring(end), null);
      }
      if (!rest.isEmpty()) {
        parts.add(rest);
      }
      return new PyList(parts);
    }
    if (separator.isEmpty()) {
      throw new ELException("empty separator");
    }
    int from = 0;
    int at;
    while ((limit < 0 || parts.size() < limit) && (at = text.indexOf(separator, from)) >= 0) {
      parts.add(text.substring(from, at));
      from = at + separator.length();
    }
    parts.add(text.substring(from));
    return new PyList(parts);
  }

  private static String replace(String text, Object[] args) {
    if (args.length < 2) {
      throw new ELException("replace needs the old and the new text");
    }
    String old = String.valueOf(args[0]);
    String replacement = String.valueOf(args[1]);
    int count = args.length > 2 && args[2] instanceof Number n ? n.intValue() : -1;
    if (count < 0) {
      return text.replace(old, replacement);
    }
    StringBuilder result = new StringBuilder();
    int from = 0;
    int at;
    for (int done = 0; done < count && (at = text.indexOf(old, from)) >= 0; done++) {
      result.append(text, from, at).append(replacement);
      from = at + old.length();
      if (old.isEmpty()) {
        if (from < text.length()) {
          result.append(text.charAt(from));
        }
        from++;
      }
    }
    return from > text.length()
        ? result.toString()
        : result.append(text.substring(from)).toString();
  }

  /** Words start after any character that is not a letter, as Python's str.title has it. */
  private static String title(String text) {
    StringBuilder result = new StringBuilder(text.length());
    boolean previousCased = false;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      result.appendCodePoint(
          previousCased ? Character.toLowerCase(codePoint) : Character.toTitleCase(codePoint));
      previousCased = Character.isLetter(codePoint);
      i += Character.charCount(codePoint);
    }
    return result.toString();
  }

  @Override
  public @Nullable Object getValue(ELContext context, @Nullable Object base, Object property) {
    return null;
  }

  @Override
  public @Nullable Class<?> getType(ELContext context, @Nullable Object base, Object property) {
    return null;
  }

  @Override
  public void setValue(
      ELContext context, @Nullable Object base, Object property, @Nullable Object value) {
    // Strings are immutable; nothing to set.
  }

  @Override
  public boolean isReadOnly(ELContext context, @Nullable Object base, Object property) {
    return true;
  }

  @Override
  public Iterator<FeatureDescriptor> getFeatureDescriptors(
      ELContext context, @Nullable Object base) {
    return Collections.emptyIterator();
  }

  @Override
  public Class<?> getCommonPropertyType(ELContext context, @Nullable Object base) {
    return Object.class;
  }
}
