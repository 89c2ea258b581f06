package dev.tuneforge.modelformat.gguf;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.ChatTemplate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An Ollama Modelfile for a GGUF export: {@code FROM ./<file>.gguf}, a {@code TEMPLATE} in Go
 * template syntax that renders system, user and assistant turns as the model's Jinja chat template
 * does (ChatML for Qwen and SmolLM, Llama 3's headers), and the turn's end tokens as {@code
 * PARAMETER stop}. What differs between models of one family (a default system prompt, Llama 3.1's
 * date lines) is read off the Jinja template by rendering it. The model's BOS token is not in the
 * TEMPLATE: llama.cpp adds it when it tokenizes, as the GGUF's {@code add_bos_token} says. A
 * template of another family gets no TEMPLATE, so Ollama takes the one in the GGUF's metadata.
 */
public final class OllamaModelfile {

  /** The turn markers of one chat template family. */
  private record Family(
      String turnOpenBefore, String turnOpenAfter, String turnClose, String generationRole) {

    String open(String role) {
      return turnOpenBefore + role + turnOpenAfter;
    }
  }

  private static final Family CHATML =
      new Family("<|im_start|>", "\n", "<|im_end|>\n", "assistant");
  private static final Family LLAMA3 =
      new Family("<|start_header_id|>", "<|end_header_id|>\n\n", "<|eot_id|>", "assistant");
  // Letters only: templates trim contents, and Java's trim would take control characters too.
  private static final String PROBE = "TuneforgeProbeText";

  private OllamaModelfile() {}

  /**
   * The Modelfile's text.
   *
   * @param ggufFile the GGUF file's name, next to the Modelfile
   */
  public static String of(String ggufFile, ChatTemplate template) {
    StringBuilder modelfile = new StringBuilder("FROM ./").append(ggufFile).append('\n');
    Family family = family(template.source());
    if (family == null) {
      modelfile.append(
          "# The chat template is taken from the GGUF file's tokenizer.chat_template.\n");
      return modelfile.toString();
    }
    modelfile.append("TEMPLATE \"\"\"").append(template(family, template)).append("\"\"\"\n");
    Set<String> stops = new LinkedHashSet<>();
    stops.add(family.turnClose().strip());
    if (!template.eosToken().isBlank()) {
      stops.add(template.eosToken());
    }
    for (String stop : stops) {
      modelfile.append("PARAMETER stop \"").append(stop).append("\"\n");
    }
    return modelfile.toString();
  }

  /** The Go template alone, as the Modelfile's TEMPLATE holds it. */
  static @Nullable String goTemplate(ChatTemplate template) {
    Family family = family(template.source());
    return family == null ? null : template(family, template);
  }

  private static @Nullable Family family(String jinja) {
    if (jinja.contains("<|im_start|>")) {
      return CHATML;
    }
    if (jinja.contains("<|start_header_id|>")) {
      return LLAMA3;
    }
    return null;
  }

  private static String template(Family family, ChatTemplate template) {
    // The system turn when the conversation has none, and what precedes a given system prompt.
    String withoutSystem = render(template, List.of(ChatMessage.of("user", PROBE)));
    String withSystem =
        render(template, List.of(ChatMessage.of("system", PROBE), ChatMessage.of("user", PROBE)));
    String systemOpen = family.open("system");
    String preamble = between(withSystem, systemOpen, PROBE);
    String defaultSystem = between(withoutSystem, systemOpen, family.turnClose());
    StringBuilder go = new StringBuilder();
    go.append("{{- if .System }}")
        .append(escape(systemOpen + (preamble == null ? "" : preamble)))
        .append("{{ .System }}")
        .append(escape(family.turnClose()));
    if (defaultSystem != null) {
      go.append("{{ else }}").append(escape(systemOpen + defaultSystem + family.turnClose()));
    }
    go.append("{{ end }}")
        .append("{{- range .Messages }}{{- if ne .Role \"system\" }}")
        .append(escape(family.turnOpenBefore()))
        .append("{{ .Role }}")
        .append(escape(family.turnOpenAfter()))
        .append("{{ .Content }}")
        .append(escape(family.turnClose()))
        .append("{{ end }}{{- end }}")
        .append(escape(family.open(family.generationRole())));
    return go.toString();
  }

  private static String render(ChatTemplate template, List<ChatMessage> messages) {
    String rendered = template.render(new ArrayList<>(messages), true);
    String bos = template.bosToken();
    return emitsBos(template) && rendered.startsWith(bos)
        ? rendered.substring(bos.length())
        : rendered;
  }

  /**
   * Whether the Jinja template writes the BOS token itself (Llama 3's does, ChatML's do not even
   * where {@code <|im_start|>} is the BOS token): the TEMPLATE leaves it to the tokenizer.
   */
  public static boolean emitsBos(ChatTemplate template) {
    return !template.bosToken().isEmpty() && template.source().contains("bos_token");
  }

  /** The text between {@code start} (at the very beginning) and the next {@code end}, or null. */
  private static @Nullable String between(String text, String start, String end) {
    if (!text.startsWith(start)) {
      return null;
    }
    int to = text.indexOf(end, start.length());
    return to < 0 ? null : text.substring(start.length(), to);
  }

  /** A Modelfile's triple-quoted text ends at {@code """}, and Go reads {@code {{} as an action. */
  private static String escape(String text) {
    if (text.contains("\"\"\"") || text.contains("{{")) {
      throw new IllegalArgumentException(
          "the chat template's text cannot go into a Modelfile TEMPLATE: " + text);
    }
    return text;
  }
}
