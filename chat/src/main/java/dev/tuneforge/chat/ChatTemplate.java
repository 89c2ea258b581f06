package dev.tuneforge.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.Node;
import dev.tuneforge.chat.jinja.TransformersJinja;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model's Jinja {@code chat_template}, rendered as Hugging Face's {@code apply_chat_template}
 * renders it, and cut into pieces that say which text carries loss.
 *
 * <p>Loss falls on what the template adds for a trainable assistant message: the text between the
 * conversation rendered up to that message with {@code add_generation_prompt} and the conversation
 * rendered through it, less trailing whitespace — its content and end token ({@code <|im_end|>},
 * {@code <|eot_id|>}, {@code </s>}). That needs a template whose rendering of a conversation begins
 * with its rendering of every shorter prefix, as chat templates do; one that does not is refused
 * rather than guessed at.
 */
public final class ChatTemplate {

  /** A stretch of rendered text; {@code trainable} marks assistant content and its end token. */
  public record Segment(String text, boolean trainable) {}

  /** ChatML, for models whose tokenizer_config.json has no chat_template (the demo model's). */
  public static final String CHATML =
      "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content']"
          + " + '<|im_end|>' + '\\n' }}{% endfor %}"
          + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Jinjava jinjava;
  private final String source;
  private final String bosToken;
  private final String eosToken;

  /**
   * The template parsed once (parsing dominated rendering); null when parsing reported problems.
   */
  private final @Nullable Node tree;

  public ChatTemplate(String source, String bosToken, String eosToken) {
    this.jinjava = TransformersJinja.newJinjava();
    try {
      Method raise = ChatTemplate.class.getDeclaredMethod("raiseException", String.class);
      // The method is package-private, so the expression engine may call it only this way.
      raise.setAccessible(true);
      jinjava
          .getGlobalContext()
          .registerFunction(new ELFunctionDefinition("", "raise_exception", raise));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    this.source = source;
    this.bosToken = bosToken;
    this.eosToken = eosToken;
    this.tree = parse(jinjava, source);
  }

  private static @Nullable Node parse(Jinjava jinjava, String source) {
    JinjavaInterpreter parser = jinjava.newInterpreter();
    JinjavaInterpreter.pushCurrent(parser);
    try {
      Node parsed = parser.parse(source);
      return parser.getErrorsCopy().isEmpty() ? parsed : null;
    } catch (RuntimeException e) {
      return null;
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }

  /** The Jinja source, as tokenizer_config.json or chat_template.jinja holds it. */
  public String source() {
    return source;
  }

  /** The text {@code bos_token} stands for in the template; empty when the model has none. */
  public String bosToken() {
    return bosToken;
  }

  /** The text {@code eos_token} stands for in the template. */
  public String eosToken() {
    return eosToken;
  }

  public static ChatTemplate chatMl() {
    return new ChatTemplate(CHATML, "", "<|im_end|>");
  }

  /**
   * The template of a Hugging Face directory: {@code chat_template.jinja}, else the {@code
   * chat_template} of tokenizer_config.json (a string, or a list whose "default" entry counts),
   * else ChatML.
   */
  public static ChatTemplate load(Path modelDirectory) throws IOException {
    Path configFile = modelDirectory.resolve("tokenizer_config.json");
    JsonNode config = JSON.createObjectNode();
    if (Files.isRegularFile(configFile)) {
      try {
        config = JSON.readTree(Files.readString(configFile));
      } catch (JacksonException e) {
        throw new ModelFileException(
            "tokenizer_config.json is not valid JSON: " + e.getOriginalMessage());
      }
    }
    String bos = token(config.path("bos_token"));
    String eos = token(config.path("eos_token"));
    Path jinjaFile = modelDirectory.resolve("chat_template.jinja");
    if (Files.isRegularFile(jinjaFile)) {
      return new ChatTemplate(Files.readString(jinjaFile), bos, eos);
    }
    JsonNode template = config.path("chat_template");
    if (template.isString()) {
      return new ChatTemplate(template.asString(), bos, eos);
    }
    for (JsonNode named : template) {
      if (named.path("name").asString("").equals("default")) {
        return new ChatTemplate(named.path("template").asString(), bos, eos);
      }
    }
    return new ChatTemplate(CHATML, bos, eos.isEmpty() ? "<|im_end|>" : eos);
  }

  private static String token(JsonNode token) {
    return token.isObject() ? token.path("content").asString("") : token.asString("");
  }

  /**
   * @throws IllegalArgumentException naming what the template could not do
   */
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    return render(messages, List.of(), addGenerationPrompt);
  }

  /**
   * As {@link #render(List, boolean)}, with the conversation's function schemas passed as {@code
   * tools} when it declares any, as {@code apply_chat_template(messages, tools=...)} passes them.
   */
  public String render(
      List<ChatMessage> messages, List<Map<String, Object>> tools, boolean addGenerationPrompt) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ChatMessage message : messages) {
      list.add(message.templateView());
    }
    return render(list, addGenerationPrompt, tools.isEmpty() ? Map.of() : Map.of("tools", tools));
  }

  /**
   * Whether the template renders tool use: it reads {@code tools} or {@code tool_calls}. One that
   * does not would drop a conversation's calls and results silently.
   */
  public boolean supportsTools() {
    return supportsTools(source);
  }

  /** {@link #supportsTools()} of a template's source; null (no template: ChatML) has none. */
  public static boolean supportsTools(@Nullable String source) {
    return source != null && (source.contains("tools") || source.contains("tool_calls"));
  }

  /**
   * As transformers' {@code apply_chat_template(messages, add_generation_prompt=..., **variables)}:
   * messages as the template reads them (with {@code tool_calls} or {@code reasoning_content} where
   * a template uses them), and variables such as {@code tools} or {@code enable_thinking} passed to
   * the template as they are; bos_token and eos_token come from tokenizer_config.json.
   *
   * @throws IllegalArgumentException naming what the template could not do
   */
  public String render(
      List<? extends Map<String, ?>> messages,
      boolean addGenerationPrompt,
      Map<String, ?> variables) {
    Map<String, Object> context = new HashMap<>();
    context.put("bos_token", bosToken);
    context.put("eos_token", eosToken);
    context.putAll(variables);
    context.put("messages", messages);
    context.put("add_generation_prompt", addGenerationPrompt);
    RenderResult result = renderForResult(context);
    for (TemplateError error : result.getErrors()) {
      if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw new IllegalArgumentException(
            "the chat_template failed at line "
                + error.getLineno()
                + ": "
                + raisedMessage(error.getException()).orElse(error.getMessage()));
      }
    }
    return result.getOutput();
  }

  /**
   * As {@link Jinjava#renderForResult(String, Map)} renders {@code source} (which is parse and
   * render the tree), from the tree parsed once. A template that failed to parse, or a render that
   * throws, takes Jinjava's own path, so problems are reported exactly as Jinjava reports them.
   */
  private RenderResult renderForResult(Map<String, Object> bindings) {
    if (tree == null) {
      return jinjava.renderForResult(source, bindings);
    }
    Context context =
        new Context(
            jinjava.getGlobalContextCopy(), bindings, jinjava.getGlobalConfig().getDisabled());
    JinjavaInterpreter interpreter =
        jinjava
            .getGlobalConfig()
            .getInterpreterFactory()
            .newInstance(jinjava, context, jinjava.getGlobalConfig());
    RenderResult result = null;
    JinjavaInterpreter.pushCurrent(interpreter);
    try {
      String output = interpreter.render(tree);
      result = new RenderResult(output, interpreter.getContext(), interpreter.getErrorsCopy());
    } catch (RuntimeException e) {
      // Rendering again below, with no interpreter current, reports it as Jinjava does.
    } finally {
      JinjavaInterpreter.popCurrent();
      jinjava.getGlobalContext().reset();
    }
    return result != null ? result : jinjava.renderForResult(source, bindings);
  }

  public List<Segment> segments(List<ChatMessage> messages) {
    return segments(new Conversation(0, messages));
  }

  /**
   * The conversation cut where loss starts and ends; an assistant message's tool calls are part of
   * its turn and take loss with it, tool results take none.
   *
   * @throws IllegalArgumentException when the conversation uses tools and the template renders
   *     none, or the template cannot be cut
   */
  public List<Segment> segments(Conversation conversation) {
    List<ChatMessage> messages = conversation.messages();
    List<Map<String, Object>> tools = conversation.tools();
    if (conversation.usesTools() && !supportsTools()) {
      throw new IllegalArgumentException(
          "the conversation calls tools, and the model's chat template has no tool support");
    }
    String full = render(messages, tools, false);
    List<Segment> segments = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage message = messages.get(i);
      if (!message.role().equals("assistant") || !message.trainable()) {
        continue;
      }
      String before = render(messages.subList(0, i), tools, true);
      // The last message's conversation is the whole one, already rendered.
      String through =
          i == messages.size() - 1 ? full : render(messages.subList(0, i + 1), tools, false);
      int end =
          through.startsWith(before) && full.startsWith(through) && before.length() >= at
              ? through.stripTrailing().length()
              : laterTurnEnd(full, before, through, message, at, i);
      append(segments, full.substring(at, before.length()), false);
      append(segments, full.substring(before.length(), Math.max(end, before.length())), true);
      at = Math.max(end, before.length());
    }
    append(segments, full.substring(at), false);
    return segments;
  }

  /**
   * Where an assistant turn ends in the whole conversation when the template renders it differently
   * once later turns follow (Qwen3's drops the reasoning block of every assistant turn before the
   * last question): the turn still starts where its prefix ends, and it is the longest tail of the
   * turn as rendered last that the whole conversation holds there and that still holds the
   * message's content.
   */
  private static int laterTurnEnd(
      String full, String before, String through, ChatMessage message, int at, int index) {
    if (through.startsWith(before) && full.startsWith(before) && before.length() >= at) {
      String turn = through.substring(before.length()).stripTrailing();
      String content = message.content().strip();
      for (int k = 0; k < turn.length() && turn.substring(k).contains(content); k++) {
        if (full.startsWith(turn.substring(k), before.length())) {
          return before.length() + turn.length() - k;
        }
      }
    }
    throw new IllegalArgumentException(
        "the chat_template does not render conversations so that each begins with its shorter prefixes,"
            + " so assistant message "
            + (index + 1)
            + " cannot be located for its labels");
  }

  /** Neighbours with the same flag are joined so the tokenizer sees them as one text. */
  private static void append(List<Segment> segments, String text, boolean trainable) {
    if (text.isEmpty()) {
      return;
    }
    if (!segments.isEmpty() && segments.getLast().trainable() == trainable) {
      Segment last = segments.removeLast();
      segments.add(new Segment(last.text() + text, trainable));
    } else {
      segments.add(new Segment(text, trainable));
    }
  }

  /** Hugging Face's templates call {@code raise_exception} to reject a conversation. */
  static String raiseException(String message) {
    throw new Raised(message);
  }

  private static Optional<String> raisedMessage(@Nullable Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof Raised) {
        return Optional.ofNullable(cause.getMessage());
      }
    }
    return Optional.empty();
  }

  /** What a template's raise_exception threw, told apart from the engine's own errors. */
  private static final class Raised extends RuntimeException {
    Raised(String message) {
      super(message);
    }
  }
}
