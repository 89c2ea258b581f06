package dev.tuneforge.app.dataset.tokens;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Models' tokenizers kept loaded between counts. Loading one costs its files fetched from storage
 * and the native tokenizer parsing its {@code tokenizer.json} (0.4–0.5 s for Qwen3's 11 MB), as
 * long as counting several MB of rows; most counts are under the default model, so every upload
 * after the first skips it. A kept tokenizer serves one count at a time (its word counts are not
 * shared between threads): a count that finds none idle loads another. At most {@value #KEPT} idle
 * ones are kept, the one used longest ago closed first. A tokenizer is known by its model's id and
 * the sizes of its files, so files replaced under a model are loaded again.
 */
@Component
class LoadedTokenizers implements DisposableBean {
  /** Idle tokenizers kept; each holds its native tokenizer and up to a million words counted. */
  static final int KEPT = 2;

  private record Idle(String key, TokenLengthCounter.Tokenizer tokenizer) {}

  private final ObjectStorage storage;

  /** Most recently given back first. */
  private final Deque<Idle> idle = new ArrayDeque<>();

  private boolean closed;
  private int loads;

  LoadedTokenizers(ObjectStorage storage) {
    this.storage = storage;
  }

  /**
   * A counter for the model, on a kept tokenizer when one is idle, else on one loaded now; closing
   * the counter gives its tokenizer back to be kept.
   */
  TokenLengthCounter counter(BaseModel model) throws IOException {
    String key = key(model);
    TokenLengthCounter.Tokenizer tokenizer = take(key);
    if (tokenizer == null) {
      tokenizer = load(model);
    }
    TokenLengthCounter.Tokenizer lent = tokenizer;
    try {
      return TokenLengthCounter.lent(lent, t -> giveBack(key, t));
    } catch (RuntimeException e) {
      lent.close();
      throw e;
    }
  }

  /** How many tokenizers were loaded so far. */
  synchronized int loads() {
    return loads;
  }

  private synchronized TokenLengthCounter.@Nullable Tokenizer take(String key) {
    for (Iterator<Idle> i = idle.iterator(); i.hasNext(); ) {
      Idle kept = i.next();
      if (kept.key().equals(key)) {
        i.remove();
        return kept.tokenizer();
      }
    }
    return null;
  }

  private void giveBack(String key, TokenLengthCounter.Tokenizer tokenizer) {
    TokenLengthCounter.Tokenizer closing = null;
    synchronized (this) {
      if (closed) {
        closing = tokenizer;
      } else {
        idle.addFirst(new Idle(key, tokenizer));
        if (idle.size() > KEPT) {
          closing = idle.removeLast().tokenizer();
        }
      }
    }
    if (closing != null) {
      closing.close();
    }
  }

  private TokenLengthCounter.Tokenizer load(BaseModel model) throws IOException {
    Path folder = Files.createTempDirectory("tuneforge-tokenizer-");
    try {
      Path modelDir = Files.createDirectory(folder.resolve("model"));
      fetchTokenizer(model, modelDir);
      TokenLengthCounter.Tokenizer loaded = TokenLengthCounter.Tokenizer.load(modelDir);
      synchronized (this) {
        loads++;
      }
      return loaded;
    } finally {
      TokenLengthWork.deleteQuietly(folder);
    }
  }

  /**
   * The tokenizer files under the model's prefix in the shared catalogue; the weights stay where
   * they are.
   */
  private void fetchTokenizer(BaseModel model, Path modelDir) throws IOException {
    for (String file : TokenLengthCounter.MODEL_FILES) {
      String key = model.getObjectPrefix() + file;
      if (!storage.exists(key)) {
        continue;
      }
      try (InputStream in = storage.open(key)) {
        Files.copy(in, modelDir.resolve(file));
      }
    }
  }

  private String key(BaseModel model) {
    UUID id = model.getId();
    Map<String, Long> sizes = storage.sizes(model.getObjectPrefix());
    StringBuilder key = new StringBuilder(id.toString());
    for (String file : TokenLengthCounter.MODEL_FILES) {
      key.append(' ').append(sizes.get(model.getObjectPrefix() + file));
    }
    return key.toString();
  }

  @Override
  public void destroy() {
    synchronized (this) {
      closed = true;
    }
    Idle kept;
    while ((kept = poll()) != null) {
      kept.tokenizer().close();
    }
  }

  private synchronized @Nullable Idle poll() {
    return idle.pollFirst();
  }
}
