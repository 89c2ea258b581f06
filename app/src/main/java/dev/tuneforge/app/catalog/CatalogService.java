package dev.tuneforge.app.catalog;

import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.stereotype.Service;

/** Registers base models from a Hugging Face directory and lists the catalogue. */
@Service
public class CatalogService {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}");

  private final BaseModelRepository models;
  private final ObjectStorage storage;

  CatalogService(BaseModelRepository models, ObjectStorage storage) {
    this.models = models;
    this.storage = storage;
  }

  public List<BaseModel> list() {
    return models.findAllByOrderByName();
  }

  public Optional<BaseModel> find(UUID id) {
    return models.findById(id);
  }

  public Optional<BaseModel> findByName(String name) {
    return models.findByName(name);
  }

  /**
   * Uploads every file of a Hugging Face model directory to {@code models/{name}/} and adds the
   * model to the catalogue. The directory must hold {@code config.json}, {@code tokenizer.json} and
   * safetensors weights.
   */
  public BaseModel register(String name, String description, Path directory, long parameters) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("A model name has letters, digits, '.', '_' or '-'");
    }
    if (models.findByName(name).isPresent()) {
      throw new IllegalArgumentException("The catalogue already has a model named " + name);
    }
    for (String required : List.of("config.json", "tokenizer.json")) {
      if (!Files.isRegularFile(directory.resolve(required))) {
        throw new IllegalArgumentException(directory + " has no " + required);
      }
    }
    String prefix = ObjectKeys.modelPrefix(name);
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        storage.put(prefix + file.getFileName(), file, "application/octet-stream");
      }
      String config = Files.readString(directory.resolve("config.json"));
      return models.save(
          new BaseModel(name, architectureOf(config), description, prefix, parameters));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The files of a model, relative to its prefix. */
  public List<String> files(BaseModel model) {
    return storage.list(model.getObjectPrefix()).stream()
        .map(key -> key.substring(model.getObjectPrefix().length()))
        .toList();
  }

  static String architectureOf(String configJson) {
    var matcher =
        Pattern.compile("\"architectures\"\\s*:\\s*\\[\\s*\"([^\"]+)\"").matcher(configJson);
    return matcher.find() ? matcher.group(1) : "unknown";
  }
}
