package dev.tuneforge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * A mixed chat JSONL for {@link TokenLengthBenchmark}, bigger and less repetitive than SROIE alone:
 * SROIE's training and validation rows as they are (receipts' OCR text, JSON answers), then text
 * rows made of this repository's Markdown paragraphs (English prose, tables, code, non-ASCII
 * characters and {@code <tags>}), each a user paragraph answered by the next, under one of three
 * system prompts or none, some with two exchanges, and a few awkward rows (edge whitespace,
 * placeholders such as {@code {{name}}}, emoji and other scripts).
 */
final class TokenLengthCorpus {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final List<String> SYSTEM_PROMPTS =
      List.of(
          "",
          "You answer questions about the Tuneforge platform.",
          "Continue the documentation in the same style.",
          "Rewrite the paragraph plainly.");

  private static final List<String> AWKWARD =
      List.of(
          "  Dear {{name}}, your order {{ order_id }} ships {% if express %}today{% endif %}.  \n",
          "東京都渋谷区 1-2-3 電話 03-1234-5678 😀👍🏽 مرحبا بالعالم Cafe\u0301 naïve",
          "TOTAL   RM  1558.00\n\n\n   CASH\t\tRM 2000\r\nCHANGE 442.00   ",
          "<think>\nplan\n</think>\n\nshe'LL  DON'T   we'VE\u00a0\u2003spaces\u3000and <PLACEHOLDER>");

  private TokenLengthCorpus() {}

  /** Writes the corpus to {@code out}; returns the number of rows. */
  static int write(Path sroieTraining, Path out) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(sroieTraining));
    Path validation = sroieTraining.resolveSibling("validation.jsonl");
    if (Files.isRegularFile(validation)) {
      lines.addAll(Files.readAllLines(validation));
    }
    List<String> paragraphs = paragraphs(repositoryRoot());
    for (int p = 0; p + 1 < paragraphs.size(); p += 2) {
      String system = SYSTEM_PROMPTS.get((p / 2) % SYSTEM_PROMPTS.size());
      List<Map<String, String>> messages = new ArrayList<>();
      if (!system.isEmpty()) {
        messages.add(message("system", system));
      }
      messages.add(message("user", paragraphs.get(p)));
      messages.add(message("assistant", paragraphs.get(p + 1)));
      if (p % 10 == 0 && p + 3 < paragraphs.size()) {
        messages.add(message("user", paragraphs.get(p + 2)));
        messages.add(message("assistant", paragraphs.get(p + 3)));
      }
      lines.add(row(messages));
    }
    for (int a = 0; a < AWKWARD.size(); a++) {
      List<Map<String, String>> messages = new ArrayList<>();
      if (a % 2 == 1) {
        messages.add(message("system", SYSTEM_PROMPTS.get(1)));
      }
      messages.add(message("user", AWKWARD.get(a)));
      messages.add(message("assistant", AWKWARD.get((a + 1) % AWKWARD.size())));
      lines.add(row(messages));
    }
    Files.write(out, lines);
    return lines.size();
  }

  private static Map<String, String> message(String role, String content) {
    Map<String, String> message = new LinkedHashMap<>();
    message.put("role", role);
    message.put("content", content);
    return message;
  }

  private static String row(List<Map<String, String>> messages) {
    return JSON.writeValueAsString(Map.of("messages", messages));
  }

  /** Non-blank paragraphs of the repository's Markdown files, in a fixed order. */
  private static List<String> paragraphs(Path root) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files =
          walk.filter(p -> p.toString().endsWith(".md"))
              .filter(
                  p ->
                      !p.toString().contains("/target/")
                          && !p.toString().contains("/node_modules/")
                          && !p.toString().contains("/.git/"))
              .sorted(Comparator.naturalOrder())
              .toList();
    }
    List<String> paragraphs = new ArrayList<>();
    for (Path file : files) {
      try {
        for (String paragraph : Files.readString(file).split("\n\\s*\n")) {
          if (!paragraph.isBlank()) {
            paragraphs.add(paragraph.strip());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return paragraphs;
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs/datasets.md"))) {
        return dir;
      }
    }
    throw new IllegalStateException("run from the repository (no docs/datasets.md above here)");
  }
}
