package dev.tuneforge.app.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which keys of a JSON row hold which part of a conversation, as an entry of LLaMA-Factory's {@code
 * dataset_info.json} says: {@code formatting} ({@code alpaca} or {@code sharegpt}), {@code columns}
 * ({@code prompt}, {@code query}, {@code response}, {@code system}, {@code history}, {@code
 * messages}, {@code tools}) and, for ShareGPT, {@code tags} ({@code role_tag}, {@code content_tag},
 * {@code user_tag}, {@code assistant_tag}, {@code system_tag}, {@code function_tag}, {@code
 * observation_tag}). Absent names take LLaMA-Factory's defaults.
 *
 * @param name the entry's name in the file
 * @param fileName the entry's {@code file_name}, when it has one
 */
public record DatasetInfo(
    String name,
    @Nullable String fileName,
    boolean shareGpt,
    Map<String, String> columns,
    Map<String, String> tags) {

  /** The name of LLaMA-Factory's file that holds such entries. */
  public static final String FILE_NAME = "dataset_info.json";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> COLUMNS =
      Set.of("prompt", "query", "response", "system", "history", "messages", "tools");
  private static final Set<String> NOT_READ =
      Set.of("images", "videos", "audios", "chosen", "rejected", "kto_tag");
  private static final Set<String> TAGS =
      Set.of(
          "role_tag",
          "content_tag",
          "user_tag",
          "assistant_tag",
          "system_tag",
          "observation_tag",
          "function_tag");
  private static final Map<String, String> DEFAULT_COLUMNS =
      Map.of(
          "prompt",
          "instruction",
          "query",
          "input",
          "response",
          "output",
          "messages",
          "conversations",
          "tools",
          "tools");
  private static final Map<String, String> DEFAULT_TAGS =
      Map.of(
          "role_tag", "from",
          "content_tag", "value",
          "user_tag", "human",
          "assistant_tag", "gpt",
          "system_tag", "system",
          "observation_tag", "observation",
          "function_tag", "function_call");

  public DatasetInfo {
    columns = Map.copyOf(columns);
    tags = Map.copyOf(tags);
  }

  /** The key that holds {@code column} (prompt, query, …), LLaMA-Factory's default if unnamed. */
  public @Nullable String column(String column) {
    return columns.getOrDefault(column, DEFAULT_COLUMNS.get(column));
  }

  /** The value of a ShareGPT tag (role_tag, user_tag, …), LLaMA-Factory's default if unnamed. */
  public String tag(String tag) {
    return tags.getOrDefault(tag, DEFAULT_TAGS.get(tag));
  }

  /** In words, for the upload page: the entry, its layout and its mapped names. */
  public String describe() {
    List<String> names = new ArrayList<>();
    columns.forEach((column, key) -> names.add(column + " → \"" + key + "\""));
    tags.forEach((tag, value) -> names.add(tag + " \"" + value + "\""));
    names.sort(null);
    return name
        + (fileName == null ? "" : " (" + fileName + ")")
        + ": "
        + (shareGpt ? "sharegpt" : "alpaca")
        + (names.isEmpty() ? "" : "; " + String.join(", ", names));
  }

  /**
   * Reads a {@code dataset_info.json}: the entry whose {@code file_name} is {@code dataFileName},
   * or its only entry, or the text itself when it is one entry (an object with {@code formatting},
   * {@code columns} or {@code tags}).
   *
   * @throws DatasetRejected naming what does not fit
   */
  public static DatasetInfo parse(String json, @Nullable String dataFileName) {
    List<DatasetInfo> entries = entries(json);
    for (DatasetInfo entry : entries) {
      if (dataFileName != null && dataFileName.equals(entry.fileName())) {
        return entry;
      }
    }
    if (entries.size() == 1) {
      return entries.getFirst();
    }
    throw DatasetRejected.because(
        FILE_NAME
            + " describes "
            + entries.size()
            + " datasets ("
            + String.join(", ", entries.stream().map(DatasetInfo::name).toList())
            + ") and none has \"file_name\": \""
            + dataFileName
            + "\"");
  }

  /**
   * Every entry of a {@code dataset_info.json} (or the one entry it is).
   *
   * @throws DatasetRejected naming the first entry that does not fit
   */
  public static List<DatasetInfo> entries(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw DatasetRejected.because(
          FILE_NAME + " is not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject() || root.isEmpty()) {
      throw DatasetRejected.because(FILE_NAME + " is not a JSON object of datasets");
    }
    if (isEntry(root)) {
      return List.of(entry("dataset", root));
    }
    List<DatasetInfo> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      entries.add(entry(e.getKey(), e.getValue()));
    }
    return List.copyOf(entries);
  }

  /** Whether a file's name says it is LLaMA-Factory's dataset description. */
  public static boolean isDatasetInfo(String fileName) {
    return fileName.toLowerCase(Locale.ROOT).equals(FILE_NAME);
  }

  private static boolean isEntry(JsonNode node) {
    return node.has("formatting") || node.has("columns") || node.has("tags");
  }

  private static DatasetInfo entry(String name, JsonNode entry) {
    String where = FILE_NAME + ", \"" + name + "\"";
    if (!entry.isObject()) {
      throw DatasetRejected.because(where + " is not an object");
    }
    if (entry.path("ranking").asBoolean(false)) {
      throw DatasetRejected.because(
          where + " is preference data (\"ranking\": true); only conversations are read");
    }
    String formatting = entry.path("formatting").asString("alpaca");
    if (!formatting.equals("alpaca") && !formatting.equals("sharegpt")) {
      throw DatasetRejected.because(
          where + " has \"formatting\": \"" + formatting + "\"; expected alpaca or sharegpt");
    }
    Map<String, String> columns = names(where, "columns", entry.path("columns"), COLUMNS);
    Map<String, String> tags = names(where, "tags", entry.path("tags"), TAGS);
    JsonNode fileName = entry.get("file_name");
    return new DatasetInfo(
        name,
        fileName != null && fileName.isString() ? fileName.asString() : null,
        formatting.equals("sharegpt"),
        columns,
        tags);
  }

  private static Map<String, String> names(
      String where, String field, JsonNode node, Set<String> known) {
    Map<String, String> names = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return names;
    }
    if (!node.isObject()) {
      throw DatasetRejected.because(where + " has \"" + field + "\" that is not an object");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      if (NOT_READ.contains(key)) {
        throw DatasetRejected.because(
            where + " maps \"" + key + "\"; only text conversations are read, not " + key);
      }
      if (!known.contains(key)) {
        throw DatasetRejected.because(
            where
                + " has "
                + field
                + " \""
                + key
                + "\"; expected "
                + String.join(", ", sorted(known)));
      }
      if (!e.getValue().isString() || e.getValue().asString().isBlank()) {
        throw DatasetRejected.because(
            where + " has " + field + " \"" + key + "\" that is not a name");
      }
      names.put(key, e.getValue().asString());
    }
    return names;
  }

  private static List<String> sorted(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    list.sort(null);
    return list;
  }
}
