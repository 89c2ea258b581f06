package dev.tuneforge.app.synthetic;

import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A job's fields as JSON in its row. */
final class FieldSpecs {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private FieldSpecs() {}

  static String toJson(List<FieldSpec> fields) {
    return JSON.writeValueAsString(fields);
  }

  static List<FieldSpec> fromJson(String json) {
    return JSON.readValue(json, new TypeReference<List<FieldSpec>>() {});
  }
}
