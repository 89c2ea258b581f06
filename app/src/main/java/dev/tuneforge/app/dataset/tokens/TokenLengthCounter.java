package dev.tuneforge.app.dataset.tokens;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.DatasetException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Measures rows as the trainer encodes them: the model's own chat template cut into the same
 * segments as {@link ChatEncoder} cuts it, each segment tokenized on its own by the same tokenizer,
 * without truncation, so a row's length and the assistant tokens a maximum length would cut off are
 * both known. Rows are measured in batches: the template is rendered once per conversation shape
 * where that is safe ({@link TemplateShapes}), and a batch's segments are tokenized in one native
 * call, which the Rust tokenizer spreads over all cores; only the token counts cross back.
 */
public final class TokenLengthCounter implements AutoCloseable {
  /** Files of a model directory the count needs; the weights are not among them. */
  public static final List<String> MODEL_FILES =
      List.of("tokenizer.json", "tokenizer_config.json", "chat_template.jinja");

  /** Segments whose word-by-word counts are all compared with the native tokenizer's. */
  static final int CHECKED_FIRST = 64;

  /** After the first, every this many segments' word-by-word counts are compared. */
  static final int CHECK_EVERY = 64;

  /** Words joined into one text for the native tokenizer (see {@link #wordCounts}). */
  static final int WORDS_PER_TEXT = 512;

  /**
   * A model's tokenizer files loaded: the native tokenizer, the chat template and the word counts
   * ({@link PreTokenCounts}, which remembers the words it met). A counter uses it alone while it
   * counts; {@link LoadedTokenizers} keeps it between counts.
   */
  static final class Tokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final ChatTemplate template;
    private final @Nullable PreTokenCounts words;

    private Tokenizer(
        HuggingFaceTokenizer tokenizer, ChatTemplate template, @Nullable PreTokenCounts words) {
      this.tokenizer = tokenizer;
      this.template = template;
      this.words = words;
    }

    /** Loads the files of {@code modelDirectory} ({@link #MODEL_FILES}). */
    static Tokenizer load(Path modelDirectory) throws IOException {
      HuggingFaceTokenizer tokenizer = loadTokenizer(modelDirectory);
      try {
        return new Tokenizer(
            tokenizer,
            ChatTemplate.load(modelDirectory),
            PreTokenCounts.of(modelDirectory.resolve("tokenizer.json")));
      } catch (IOException | RuntimeException e) {
        tokenizer.close();
        throw e;
      }
    }

    @Override
    public void close() {
      tokenizer.close();
    }
  }

  private final Tokenizer loaded;
  private final HuggingFaceTokenizer tokenizer;
  private final ChatTemplate template;
  private final TemplateShapes shapes;

  /** Called with the tokenizer when the counter is closed; null when the counter owns it. */
  private final @Nullable Consumer<Tokenizer> giveBack;

  /** The word counter's separator and its one token's id; null when words are encoded apart. */
  private final @Nullable String separator;

  private final long separatorId;
  private boolean splicing = true;
  private boolean closed;
  private @Nullable PreTokenCounts words;
  private long counted;
  private long renderNanos;
  private long preTokenizeNanos;
  private long encodeNanos;

  private TokenLengthCounter(Tokenizer loaded, @Nullable Consumer<Tokenizer> giveBack) {
    this.loaded = loaded;
    this.tokenizer = loaded.tokenizer;
    this.template = loaded.template;
    this.giveBack = giveBack;
    this.shapes = new TemplateShapes(template);
    this.words = loaded.words;
    String between = words != null ? words.separator() : null;
    long id = -1;
    if (between != null) {
      long[] ids = tokenIds(new String[] {between})[0];
      id = ids.length == 1 ? ids[0] : -1;
    }
    this.separator = id >= 0 ? between : null;
    this.separatorId = id;
  }

  /**
   * A counter for the model in {@code modelDirectory} (a Hugging Face layout; tokenizer files
   * suffice); closing it closes the tokenizer.
   */
  public static TokenLengthCounter forModel(Path modelDirectory) throws IOException {
    Tokenizer loaded = Tokenizer.load(modelDirectory);
    try {
      return new TokenLengthCounter(loaded, null);
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  /**
   * A counter on a tokenizer loaded before, as a fresh one counts (templates checked and the first
   * texts compared with the native tokenizer again), with the words it already knows; closing it
   * hands the tokenizer to {@code giveBack}, open.
   */
  static TokenLengthCounter lent(Tokenizer loaded, Consumer<Tokenizer> giveBack) {
    return new TokenLengthCounter(loaded, giveBack);
  }

  /**
   * The tokenizer as {@link ChatEncoder#loadTokenizer} loads it for the trainer, and padding
   * nothing: DJL pads a batch to its longest text unless told not to.
   */
  public static HuggingFaceTokenizer loadTokenizer(Path modelDirectory) throws IOException {
    return HuggingFaceTokenizer.newInstance(
        modelDirectory.resolve("tokenizer.json"),
        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
  }

  /**
   * One row: its length in tokens, its trainable assistant tokens, and how many of those lie at or
   * beyond {@code maxLength}.
   *
   * @throws DatasetException when the model's template refuses the row
   */
  public Row measure(Conversation conversation, int maxLength) {
    return measureAll(List.of(conversation), maxLength).getFirst();
  }

  /**
   * The rows of a batch, in order.
   *
   * @throws DatasetException when the model's template refuses a row, naming its line
   * @throws SplicingFailed when a sampled splice differed from the full rendering: the rows
   *     measured before may be wrong, so measure them again; this counter renders every row from
   *     now on
   */
  public List<Row> measureAll(List<Conversation> conversations, int maxLength) {
    List<List<ChatTemplate.Segment>> rows = new ArrayList<>(conversations.size());
    int texts = 0;
    long started = System.nanoTime();
    try {
      for (Conversation conversation : conversations) {
        List<ChatTemplate.Segment> segments = segments(conversation);
        rows.add(segments);
        texts += segments.size();
      }
    } finally {
      renderNanos += System.nanoTime() - started;
    }
    String[] batch = new String[texts];
    int at = 0;
    for (List<ChatTemplate.Segment> segments : rows) {
      for (ChatTemplate.Segment segment : segments) {
        batch[at++] = segment.text();
      }
    }
    int[] counts = counts(batch);
    List<Row> measured = new ArrayList<>(rows.size());
    at = 0;
    for (List<ChatTemplate.Segment> segments : rows) {
      int length = 0;
      long trainable = 0;
      long lost = 0;
      int firstTarget = -1;
      for (ChatTemplate.Segment segment : segments) {
        int tokens = counts[at++];
        int end = length + tokens;
        if (segment.trainable()) {
          // The first token is never a target: nothing comes before it to predict it from.
          int from = Math.max(length, 1);
          if (end > from) {
            trainable += end - from;
            lost += Math.max(0, end - Math.max(from, maxLength));
            firstTarget = firstTarget < 0 ? from : firstTarget;
          }
        }
        length = end;
      }
      measured.add(new Row(length, trainable, lost, firstTarget));
    }
    return measured;
  }

  private List<ChatTemplate.Segment> segments(Conversation conversation) {
    try {
      return splicing
          ? shapes.segments(conversation.messages())
          : template.segments(conversation.messages());
    } catch (IllegalArgumentException e) {
      throw DatasetException.atLine(conversation.line(), e.getMessage());
    } catch (TemplateShapes.Mismatch e) {
      splicing = false;
      throw new SplicingFailed();
    }
  }

  /**
   * The number of tokens of each text, word by word where the tokenizer allows ({@link
   * PreTokenCounts}): the first {@link #CHECKED_FIRST} texts and every {@link #CHECK_EVERY}th after
   * are also tokenized whole and compared. A difference in the first turns word counts off; a later
   * one throws {@link SplicingFailed}, since texts counted before it cannot be trusted.
   */
  private int[] counts(String[] texts) {
    PreTokenCounts known = words;
    if (known == null) {
      return timedTokenCounts(texts);
    }
    long started = System.nanoTime();
    long encodedBefore = encodeNanos;
    int[] counts = known.counts(texts, this::wordCounts);
    preTokenizeNanos += System.nanoTime() - started - (encodeNanos - encodedBefore);
    boolean allChecked = counted + texts.length <= CHECKED_FIRST;
    List<Integer> checked = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      long n = counted + i;
      if (n < CHECKED_FIRST || n % CHECK_EVERY == 0) {
        checked.add(i);
      }
    }
    counted += texts.length;
    int[] exact = timedTokenCounts(checked.stream().map(i -> texts[i]).toArray(String[]::new));
    for (int c = 0; c < exact.length; c++) {
      if (exact[c] != counts[checked.get(c)]) {
        words = null;
        if (!allChecked) {
          throw new SplicingFailed();
        }
        return timedTokenCounts(texts);
      }
    }
    return counts;
  }

  /**
   * The token count of each word (each as the tokenizer tokenizes it alone). With a separator,
   * {@link #WORDS_PER_TEXT} words at a time are joined by it into one text, and a word's count is
   * the number of tokens between two separator tokens: the tokenizer cuts at the separator first,
   * so each word is tokenized exactly as alone, and a native call costs one text, not one per word.
   * The texts of a batch are still spread over all cores.
   */
  int[] wordCounts(String[] words) {
    if (separator == null) {
      return timedTokenCounts(words);
    }
    long started = System.nanoTime();
    try {
      int texts = (words.length + WORDS_PER_TEXT - 1) / WORDS_PER_TEXT;
      String[] joined = new String[texts];
      for (int t = 0; t < texts; t++) {
        joined[t] =
            String.join(
                separator,
                Arrays.asList(words)
                    .subList(t * WORDS_PER_TEXT, Math.min(words.length, (t + 1) * WORDS_PER_TEXT)));
      }
      long[][] ids = tokenIds(joined);
      int[] counts = new int[words.length];
      int word = 0;
      for (long[] text : ids) {
        int tokens = 0;
        for (long id : text) {
          if (id != separatorId) {
            tokens++;
          } else if (word < counts.length) {
            counts[word++] = tokens;
            tokens = 0;
          } else {
            return tokenCounts(words);
          }
        }
        if (word == counts.length) {
          return tokenCounts(words);
        }
        counts[word++] = tokens;
      }
      // Cut otherwise than expected: counted apart.
      return word == words.length ? counts : tokenCounts(words);
    } finally {
      encodeNanos += System.nanoTime() - started;
    }
  }

  private int[] timedTokenCounts(String[] texts) {
    long started = System.nanoTime();
    try {
      return tokenCounts(texts);
    } finally {
      encodeNanos += System.nanoTime() - started;
    }
  }

  /**
   * The number of tokens of each text, adding no special tokens: one native batch encoding (as
   * {@link HuggingFaceTokenizer#batchEncode(String[], boolean, boolean)}), of which only the ids
   * cross back, not every token's text, offsets and masks.
   */
  int[] tokenCounts(String[] texts) {
    long[][] ids = tokenIds(texts);
    int[] counts = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      counts[i] = ids[i].length;
    }
    return counts;
  }

  private long[][] tokenIds(String[] texts) {
    TokenizersLibrary library = TokenizersLibrary.LIB;
    long[] encodings = library.batchEncode(tokenizer.getHandle(), texts, false);
    long[][] ids = new long[encodings.length][];
    try {
      for (int i = 0; i < encodings.length; i++) {
        ids[i] = library.getTokenIds(encodings[i]);
      }
    } finally {
      for (long encoding : encodings) {
        library.deleteEncoding(encoding);
      }
    }
    return ids;
  }

  /**
   * Rows rendered with the template per row, rows spliced into a shape rendered once, and whether
   * texts are counted word by word.
   */
  public String renderingSummary() {
    return shapes.rendered()
        + " rows rendered, "
        + shapes.spliced()
        + " spliced, "
        + (words != null ? "counted word by word" : "tokenized whole");
  }

  /**
   * Where this counter's time went so far, in wall-clock nanoseconds: rendering the rows' segments
   * (template shapes spliced, or rendered in full), cutting texts into words and looking them up,
   * and native encoding (the words met for the first time, the texts checked, or whole texts where
   * words are not counted).
   */
  public Phases phases() {
    return new Phases(renderNanos, preTokenizeNanos, encodeNanos);
  }

  /** Wall-clock nanoseconds spent in each phase of a count. */
  public record Phases(long renderNanos, long preTokenizeNanos, long encodeNanos) {}

  /** Closes or gives back the tokenizer once: a second close must not lend it out twice. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (giveBack != null) {
      giveBack.accept(loaded);
    } else {
      loaded.close();
    }
  }

  /**
   * A row's length, its assistant tokens (all, and those beyond the maximum length), and the
   * position of its first assistant token (-1 when it has none): at a maximum length at or below
   * that position the trainer has nothing to learn from the row and leaves it out.
   */
  public record Row(int length, long assistantTokens, long assistantTokensLost, int firstTarget) {

    /** Whether truncation leaves the row no assistant token, so the trainer skips it. */
    public boolean dropped() {
      return assistantTokensLost == assistantTokens;
    }
  }

  /**
   * Spliced renderings or word-by-word counts were found wrong after rows were measured with them;
   * measure again (the counter no longer takes the shortcut that failed).
   */
  public static final class SplicingFailed extends RuntimeException {
    SplicingFailed() {
      super(
          "the chat template's renderings could not be spliced or its texts counted word by word;"
              + " rows are measured again without that shortcut");
    }
  }
}
