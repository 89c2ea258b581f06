package dev.tuneforge.app.serving;

import dev.tuneforge.app.evaluation.EvaluationService;
import dev.tuneforge.fieldmetrics.JsonOutput;
import dev.tuneforge.fieldmetrics.ParsedOutput;
import dev.tuneforge.fieldmetrics.ValueNormaliser;
import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.PromptMessage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What the playground does for its view: the tuned and the base model of a succeeded fine-tune, its
 * held-out examples to pick from, the prompt for a pasted document (the examples' system message
 * and the document as the user's), both answers streamed from a node one after the other, each
 * checked against the budget and charged on its own, and the per-field marks of an answer against
 * an example's reference.
 */
@Component
public class Playground {
  private final ServingService serving;
  private final EvaluationService evaluations;

  Playground(ServingService serving, EvaluationService evaluations) {
    this.serving = serving;
    this.evaluations = evaluations;
  }

  /** A held-out example: its prompt and the answer it expects. */
  public record Example(int index, List<PromptMessage> prompt, String reference) {
    /** The last user message, what the document field shows. */
    public String document() {
      for (int i = prompt.size() - 1; i >= 0; i--) {
        if (prompt.get(i).role().equals("user")) {
          return prompt.get(i).content();
        }
      }
      return "";
    }
  }

  /** The models to compare and the examples to pick from, for the calling tenant's job. */
  public record Setup(ServedModel tuned, ServedModel base, List<Example> examples) {}

  /** Empty unless the job is the caller's tenant's and succeeded. */
  public Optional<Setup> open(UUID jobId) {
    return serving
        .tunedModel(jobId)
        .map(tuned -> new Setup(tuned, serving.baseOf(tuned), examples(jobId)));
  }

  private List<Example> examples(UUID jobId) {
    return evaluations
        .find(jobId)
        .filter(stored -> stored.tuned() != null)
        .map(stored -> evaluations.generations(stored.row()))
        .orElse(List.of())
        .stream()
        .map(e -> new Example(e.index(), e.prompt(), e.expected()))
        .toList();
  }

  /**
   * The chat for a document: the example's messages with its last user message replaced by the
   * document, or with no example, the first example's system messages and the document.
   */
  public static List<PromptMessage> messages(
      @Nullable Example example, List<Example> examples, String document) {
    List<PromptMessage> template =
        example != null
            ? example.prompt()
            : examples.isEmpty() ? List.of() : examples.get(0).prompt();
    List<PromptMessage> messages = new ArrayList<>();
    if (example != null) {
      messages.addAll(template);
      for (int i = messages.size() - 1; i >= 0; i--) {
        if (messages.get(i).role().equals("user")) {
          messages.set(i, new PromptMessage("user", document));
          return messages;
        }
      }
    } else {
      template.stream().filter(m -> m.role().equals("system")).forEach(messages::add);
    }
    messages.add(new PromptMessage("user", document));
    return messages;
  }

  /** One panel of the comparison: the model it asks, where its text and its end go. */
  public record Panel(
      ServedModel model, Consumer<String> onText, Consumer<GenerationChunk> onEnd) {}

  /** A comparison running in the background; {@link #stop()} ends it where it is. */
  public static final class Comparison {
    private volatile boolean stopped;
    private volatile @Nullable Generation current;
    private final ServingService serving;

    private Comparison(ServingService serving) {
      this.serving = serving;
    }

    public void stop() {
      stopped = true;
      Generation generation = current;
      if (generation != null) {
        serving.abandon(generation);
      }
    }
  }

  /**
   * Asks each panel's model in turn from a background thread, streaming its text to {@code onText}
   * (the whole answer so far) and then {@code onEnd} with the last chunk (or a failed one). Each
   * generation is checked against the tenant's budget just before it starts and charged once it
   * ends, before the next starts, so that a budget the first spends stops the second with the
   * budget's sentence.
   */
  public Comparison compare(
      List<Panel> panels,
      List<PromptMessage> messages,
      GenerationSettings settings,
      String caller) {
    Comparison comparison = new Comparison(serving);
    Thread.ofVirtual()
        .name("playground")
        .start(
            () -> {
              for (Panel panel : panels) {
                if (comparison.stopped) {
                  return;
                }
                try {
                  Generation generation = serving.chat(panel.model(), messages, settings, caller);
                  comparison.current = generation;
                  if (comparison.stopped) {
                    serving.abandon(generation);
                    return;
                  }
                  panel.onEnd().accept(stream(generation, panel.onText()));
                  generation.awaitSettled(serving.settleWait());
                } catch (BudgetSpentException | NoServingNodeException e) {
                  panel.onEnd().accept(GenerationChunk.failed(0, String.valueOf(e.getMessage())));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  comparison.stop();
                  return;
                }
              }
            });
    return comparison;
  }

  private GenerationChunk stream(Generation generation, Consumer<String> onText)
      throws InterruptedException {
    StringBuilder text = new StringBuilder();
    GenerationChunk chunk;
    do {
      chunk = serving.next(generation);
      if (!chunk.delta().isEmpty()) {
        text.append(chunk.delta());
        onText.accept(text.toString());
      }
    } while (!chunk.isLast());
    return chunk;
  }

  /** One key path of an answer against the reference. */
  public record FieldMark(
      String path, @Nullable String expected, @Nullable String given, boolean right) {}

  /**
   * Per-field marks of an answer against a reference JSON object: every expected path, then the
   * extra ones; empty when the reference is not a JSON object (the task is not extraction).
   */
  public static List<FieldMark> marks(String reference, String answer) {
    ParsedOutput expected = JsonOutput.parse(reference);
    if (!expected.valid()) {
      return List.of();
    }
    ParsedOutput given = JsonOutput.parse(answer);
    Set<String> paths = new LinkedHashSet<>(expected.fields().keySet());
    paths.addAll(given.fields().keySet());
    List<FieldMark> marks = new ArrayList<>();
    for (String path : paths) {
      String e = expected.fields().get(path);
      String g = given.fields().get(path);
      marks.add(
          new FieldMark(path, e, g, e != null && g != null && ValueNormaliser.sameValue(e, g)));
    }
    return marks;
  }
}
