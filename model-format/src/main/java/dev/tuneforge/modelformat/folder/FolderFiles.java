package dev.tuneforge.modelformat.folder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files of a folder under inspection: names that stay inside it, and small files read whole.
 */
final class FolderFiles {

  private static final int MAX_TEXT = 64 * 1024 * 1024;
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final ModelFolder folder;
  private final Map<String, Long> sizes;

  private FolderFiles(ModelFolder folder, Map<String, Long> sizes) {
    this.folder = folder;
    this.sizes = sizes;
  }

  /** The folder's files, once every name is known to stay inside the folder. */
  static FolderFiles list(ModelFolder folder) throws IOException {
    Map<String, Long> sizes = folder.files();
    for (String name : sizes.keySet()) {
      String problem = nameProblem(name);
      if (problem != null) {
        throw new ModelRejectedException(name, problem);
      }
    }
    return new FolderFiles(folder, sizes);
  }

  /**
   * Why a name does not name a file inside the folder, or null when it does. Object stores and
   * upload forms take any string as a name; a name that is absolute, climbs out with {@code ..},
   * uses Windows separators or drive letters, or has empty segments could land anywhere once copied
   * to a disk.
   */
  static @Nullable String nameProblem(String name) {
    if (name.isEmpty()) {
      return "an empty file name";
    }
    if (name.startsWith("/")) {
      return "an absolute file name; names must be relative to the model folder";
    }
    if (name.contains("\\")) {
      return "a backslash in the file name; use / between folders";
    }
    if (name.length() > 1 && name.charAt(1) == ':') {
      return "a drive letter in the file name; names must be relative to the model folder";
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return "a control character in the file name";
      }
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty()) {
        return "an empty segment in the file name (// or a trailing /)";
      }
      if (segment.equals("..") || segment.equals(".")) {
        return "the file name leaves the model folder or names it again (" + segment + ")";
      }
    }
    return null;
  }

  Map<String, Long> sizes() {
    return sizes;
  }

  boolean has(String name) {
    return sizes.containsKey(name);
  }

  long size(String name) {
    @Nullable Long size = sizes.get(name);
    if (size == null) {
      throw new ModelRejectedException(name, "missing");
    }
    return size;
  }

  byte[] read(String name, long offset, int length) throws IOException {
    return folder.read(name, offset, length);
  }

  byte[] bytes(String name) throws IOException {
    long size = size(name);
    if (size > MAX_TEXT) {
      throw new ModelRejectedException(name, "larger than " + MAX_TEXT / (1024 * 1024) + " MB");
    }
    byte[] bytes = folder.read(name, 0, (int) size);
    if (bytes.length != size) {
      throw new ModelRejectedException(
          name, "listed with " + size + " bytes, but only " + bytes.length + " could be read");
    }
    return bytes;
  }

  String text(String name) throws IOException {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  JsonNode json(String name) throws IOException {
    JsonNode node;
    try {
      node = JSON.readTree(text(name));
    } catch (JacksonException e) {
      throw new ModelRejectedException(name, "not valid JSON: " + e.getOriginalMessage());
    }
    if (!node.isObject()) {
      throw new ModelRejectedException(name, "not a JSON object");
    }
    return node;
  }

  /** The file as JSON, or an empty object when the folder has no such file. */
  JsonNode jsonOrEmpty(String name) throws IOException {
    return has(name) ? json(name) : JSON.createObjectNode();
  }
}
