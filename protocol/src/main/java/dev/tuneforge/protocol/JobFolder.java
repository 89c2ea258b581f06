package dev.tuneforge.protocol;

import java.util.List;

/**
 * Every name in a job's folder, relative to it, as the lease's {@code inputs} and {@code outputs},
 * the node's work folder and the app's object storage ({@code tenants/{tenant}/jobs/{job}/…}) spell
 * them. Folders end in {@code /}. Storage holds the outputs under the same names, except a full
 * fine-tune's model: it is stored under {@value #STORED_TUNED_MODEL}, where the node's folder holds
 * the base model.
 */
public final class JobFolder {

  /** The training set, chat JSONL. */
  public static final String TRAINING_DATA = "data/train.jsonl";

  /** The validation set, when the dataset version has one. */
  public static final String VALIDATION_DATA = "data/validation.jsonl";

  /**
   * The held-out evaluation set, when the job names one; otherwise the evaluation takes the
   * validation set.
   */
  public static final String EVALUATION_DATA = "data/evaluation.jsonl";

  /**
   * The team's own general-ability set, when the job names one for the retention check; a job that
   * asks for the built-in set gets none and the node uses its own.
   */
  public static final String RETENTION_DATA = "data/retention.jsonl";

  /** The base model's files in Hugging Face layout. */
  public static final String BASE_MODEL = "model/";

  /**
   * The checkpoint a job resumes from: its files, or {@code step-{n}/} folders of which the highest
   * counts.
   */
  public static final String RESUME = "resume/";

  /**
   * The checkpoint of an earlier job that a new job continues from (its files, as a checkpoint
   * folder holds them): the run starts from its weights and its step, on the new job's own data and
   * settings.
   */
  public static final String CONTINUE = "continue/";

  /** The {@link TrainingSpec} of the run; the node writes it from the lease. */
  public static final String SPEC = "spec.json";

  /** The run's {@link JobResult}, written by the training process. */
  public static final String RESULT = "result.json";

  /**
   * Written by the node when the app asks the job to stop at a checkpoint; its text is the reason.
   */
  public static final String STOP = "stop";

  /** The training process's log (its stderr). */
  public static final String LOG = "child.log";

  /** The checkpoints, one folder {@code step-{n}/} each; see {@link #checkpoint(int)}. */
  public static final String CHECKPOINTS = "checkpoints/";

  /** A LoRA job's adapter in PEFT's layout: {@link #ADAPTER_FILES}. */
  public static final String ADAPTER = "adapter/";

  /**
   * A full fine-tune's model in Hugging Face layout: {@value #MODEL_WEIGHTS} and the base's other
   * files.
   */
  public static final String TUNED_MODEL = "tuned-model/";

  /** Where storage keeps a full fine-tune's model, beside the adapter folder of a LoRA job. */
  public static final String STORED_TUNED_MODEL = "model/";

  /**
   * A LoRA job's merged model in Hugging Face layout (weights in the base's dtype, one {@value
   * #MODEL_WEIGHTS} or shards with {@value #WEIGHTS_INDEX}, config, tokenizer files), in the node's
   * folder of a merge lease and in storage alike.
   */
  public static final String MERGED_MODEL = "merged/";

  /**
   * Beside a merged model of a supported architecture: the model as one GGUF file for llama.cpp and
   * Ollama, weights in F16.
   */
  public static final String GGUF_F16 = "model-f16.gguf";

  /** The same GGUF with its weight matrices in Q8_0. */
  public static final String GGUF_Q8_0 = "model-q8_0.gguf";

  /**
   * The same GGUF in llama.cpp's Q4_K_M mix: Q4_K matrices, Q6_K for the output and half the
   * layers' attn_v and ffn_down.
   */
  public static final String GGUF_Q4_K_M = "model-q4_k_m.gguf";

  /** An Ollama Modelfile for {@value #GGUF_Q8_0} in the same folder. */
  public static final String MODELFILE = "Modelfile";

  /** The files for local runtimes beside a merged model; none is part of the Hugging Face model. */
  public static final List<String> LOCAL_RUNTIME_FILES =
      List.of(GGUF_F16, GGUF_Q8_0, GGUF_Q4_K_M, MODELFILE);

  /** The index of a sharded model's weights. */
  public static final String WEIGHTS_INDEX = "model.safetensors.index.json";

  /** The model card, with Hugging Face front matter, in an exported adapter or model. */
  public static final String MODEL_CARD = "README.md";

  /** The evaluation's outputs: {@link #EVALUATION_FILES}. */
  public static final String EVALUATION = "evaluation/";

  public static final String ADAPTER_CONFIG = "adapter_config.json";
  public static final String ADAPTER_WEIGHTS = "adapter_model.safetensors";
  public static final List<String> ADAPTER_FILES = List.of(ADAPTER_CONFIG, ADAPTER_WEIGHTS);

  /** Every weight in one fp32 file: a full fine-tune's model and its checkpoints. */
  public static final String MODEL_WEIGHTS = "model.safetensors";

  /** AdamW's moments at a checkpoint. */
  public static final String OPTIMIZER_STATE = "optimizer.safetensors";

  /** Where the run stands at a checkpoint, stamped with its job, spec and data. */
  public static final String TRAINER_STATE = "trainer_state.json";

  /** {@link EvaluationExample}s, one a line. */
  public static final String GENERATIONS = "generations.jsonl";

  /** The {@link EvaluationSummary}. */
  public static final String SUMMARY = "summary.json";

  public static final List<String> EVALUATION_FILES = List.of(GENERATIONS, SUMMARY);

  /**
   * {@link RetentionExample}s, one a line, beside the evaluation's files when the job asked for a
   * retention check.
   */
  public static final String RETENTION = "retention.jsonl";

  /** The files of a LoRA checkpoint folder; a resume needs all four. */
  public static final List<String> LORA_CHECKPOINT_FILES =
      List.of(ADAPTER_WEIGHTS, ADAPTER_CONFIG, OPTIMIZER_STATE, TRAINER_STATE);

  /**
   * The files of a full fine-tuning checkpoint folder: all weights instead of an adapter; a resume
   * needs all three.
   */
  public static final List<String> FULL_CHECKPOINT_FILES =
      List.of(MODEL_WEIGHTS, OPTIMIZER_STATE, TRAINER_STATE);

  private static final String STEP = "step-";
  private static final java.util.regex.Pattern SHARD =
      java.util.regex.Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

  private JobFolder() {}

  /** The files a checkpoint of a run of this kind holds, all of which a resume needs. */
  public static List<String> checkpointFiles(boolean fullFineTuning) {
    return fullFineTuning ? FULL_CHECKPOINT_FILES : LORA_CHECKPOINT_FILES;
  }

  /** Whether a checkpoint file can have this name. */
  public static boolean isCheckpointFile(String file) {
    return LORA_CHECKPOINT_FILES.contains(file) || FULL_CHECKPOINT_FILES.contains(file);
  }

  /**
   * Whether a merged model's file can have this name: weights ({@value #MODEL_WEIGHTS}, {@code
   * model-00001-of-00003.safetensors}, {@value #WEIGHTS_INDEX}), a top-level JSON, text or Jinja
   * file such as {@code config.json}, {@code tokenizer.json}, {@code chat_template.jinja}, or one
   * of the {@link #LOCAL_RUNTIME_FILES}; never a path.
   */
  public static boolean isMergedModelFile(String file) {
    if (file.isEmpty()
        || file.length() > 100
        || file.startsWith(".")
        || file.contains("/")
        || file.contains("\\")
        || file.contains("..")) {
      return false;
    }
    return file.equals(MODEL_WEIGHTS)
        || LOCAL_RUNTIME_FILES.contains(file)
        || SHARD.matcher(file).matches()
        || file.matches("[A-Za-z0-9_.-]+\\.(json|txt|jinja|model|md)");
  }

  /** The name of the checkpoint folder after {@code step}: {@code step-{step}}. */
  public static String checkpointName(int step) {
    return STEP + step;
  }

  /** The folder of the checkpoint after {@code step}: {@code checkpoints/step-{step}/}. */
  public static String checkpoint(int step) {
    return CHECKPOINTS + checkpointName(step) + "/";
  }

  /** The step of a checkpoint folder's name, or -1 when the name is not {@code step-{n}}. */
  public static int checkpointStep(String name) {
    if (!name.startsWith(STEP)
        || name.length() == STEP.length()
        || name.length() > STEP.length() + 9) {
      return -1;
    }
    for (int i = STEP.length(); i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(name.substring(STEP.length()));
  }
}
