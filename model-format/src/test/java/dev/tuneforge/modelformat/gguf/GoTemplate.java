package dev.tuneforge.modelformat.gguf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The part of Go's text/template that Ollama's chat templates use, for tests: text, {@code {{-}}
 * and {@code -}}} trimming, {@code if}/{@code else}/{@code end}, {@code range} over a list (dot
 * becomes the element), fields {@code .Name} and {@code $.Name}, {@code eq}/{@code ne} and string
 * literals. Data is maps and lists; empty strings, empty lists and missing fields are false.
 */
final class GoTemplate {
  private static final Pattern ACTION =
      Pattern.compile("\\{\\{(-\\s)?(.*?)(\\s-)?}}", Pattern.DOTALL);

  private sealed interface Node permits Text, Output, If, Range {}

  private record Text(String text) implements Node {}

  private record Output(String expression) implements Node {}

  private record If(String condition, List<Node> then, List<Node> otherwise) implements Node {}

  private record Range(String expression, List<Node> body) implements Node {}

  private final List<Node> nodes;

  GoTemplate(String source) {
    List<String> tokens = tokens(source);
    int[] at = {0};
    nodes = parse(tokens, at, false);
    if (at[0] != tokens.size()) {
      throw new IllegalArgumentException("unexpected " + tokens.get(at[0]));
    }
  }

  String render(Map<String, Object> data) {
    StringBuilder out = new StringBuilder();
    render(nodes, data, data, out);
    return out.toString();
  }

  /** Text and actions in order, actions as "\u0000action", trimming applied to the text. */
  private static List<String> tokens(String source) {
    List<String> tokens = new ArrayList<>();
    Matcher action = ACTION.matcher(source);
    int from = 0;
    boolean trimNext = false;
    while (action.find()) {
      String text = source.substring(from, action.start());
      if (trimNext) {
        text = text.stripLeading();
      }
      if (action.group(1) != null) {
        text = text.stripTrailing();
      }
      tokens.add(text);
      tokens.add("\u0000" + action.group(2).strip());
      trimNext = action.group(3) != null;
      from = action.end();
    }
    String rest = source.substring(from);
    tokens.add(trimNext ? rest.stripLeading() : rest);
    return tokens;
  }

  private static List<Node> parse(List<String> tokens, int[] at, boolean nested) {
    List<Node> nodes = new ArrayList<>();
    while (at[0] < tokens.size()) {
      String token = tokens.get(at[0]);
      if (!token.startsWith("\u0000")) {
        nodes.add(new Text(token));
        at[0]++;
        continue;
      }
      String action = token.substring(1);
      if (action.equals("end") || action.equals("else")) {
        if (!nested) {
          throw new IllegalArgumentException("unexpected {{" + action + "}}");
        }
        return nodes;
      }
      at[0]++;
      if (action.startsWith("if ")) {
        List<Node> then = parse(tokens, at, true);
        List<Node> otherwise = List.of();
        if (tokens.get(at[0]).equals("\u0000else")) {
          at[0]++;
          otherwise = parse(tokens, at, true);
        }
        expect(tokens, at, "end");
        nodes.add(new If(action.substring(3), then, otherwise));
      } else if (action.startsWith("range ")) {
        List<Node> body = parse(tokens, at, true);
        expect(tokens, at, "end");
        nodes.add(new Range(action.substring(6), body));
      } else {
        nodes.add(new Output(action));
      }
    }
    if (nested) {
      throw new IllegalArgumentException("missing {{end}}");
    }
    return nodes;
  }

  private static void expect(List<String> tokens, int[] at, String action) {
    if (at[0] >= tokens.size() || !tokens.get(at[0]).equals("\u0000" + action)) {
      throw new IllegalArgumentException("expected {{" + action + "}}");
    }
    at[0]++;
  }

  private static void render(
      List<Node> nodes, Object dot, Map<String, Object> root, StringBuilder out) {
    for (Node node : nodes) {
      switch (node) {
        case Text text -> out.append(text.text());
        case Output output -> out.append(evaluate(output.expression(), dot, root));
        case If branch ->
            render(
                truthy(evaluate(branch.condition(), dot, root))
                    ? branch.then()
                    : branch.otherwise(),
                dot,
                root,
                out);
        case Range range -> {
          for (Object element : (List<?>) evaluate(range.expression(), dot, root)) {
            render(range.body(), element, root, out);
          }
        }
      }
    }
  }

  private static @Nullable Object evaluate(
      String expression, Object dot, Map<String, Object> root) {
    List<String> words = words(expression);
    if (words.size() == 3 && (words.get(0).equals("eq") || words.get(0).equals("ne"))) {
      boolean equal =
          String.valueOf(value(words.get(1), dot, root))
              .equals(String.valueOf(value(words.get(2), dot, root)));
      return words.get(0).equals("eq") == equal;
    }
    if (words.size() != 1) {
      throw new IllegalArgumentException("unsupported expression " + expression);
    }
    return value(words.getFirst(), dot, root);
  }

  private static @Nullable Object value(String word, Object dot, Map<String, Object> root) {
    if (word.startsWith("\"")) {
      return word.substring(1, word.length() - 1).replace("\\n", "\n");
    }
    if (word.startsWith("$.")) {
      return root.get(word.substring(2));
    }
    if (word.startsWith(".")) {
      return ((Map<?, ?>) dot).get(word.substring(1));
    }
    throw new IllegalArgumentException("unsupported value " + word);
  }

  private static List<String> words(String expression) {
    List<String> words = new ArrayList<>();
    Matcher word = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|\\S+").matcher(expression);
    while (word.find()) {
      words.add(word.group());
    }
    return words;
  }

  private static boolean truthy(@Nullable Object value) {
    return switch (value) {
      case null -> false;
      case Boolean b -> b;
      case String s -> !s.isEmpty();
      case List<?> list -> !list.isEmpty();
      default -> true;
    };
  }
}
