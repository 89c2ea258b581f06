package dev.tuneforge.app.node;

import dev.tuneforge.protocol.Gpu;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A node's GPUs as the JSON array in {@code training_node.gpus}, in the wire's own form. */
@Converter
class GpusConverter implements AttributeConverter<List<Gpu>, String> {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public String convertToDatabaseColumn(List<Gpu> gpus) {
    return JSON.writeValueAsString(gpus == null ? List.of() : gpus);
  }

  @Override
  public List<Gpu> convertToEntityAttribute(String column) {
    return column == null || column.isBlank()
        ? List.of()
        : List.copyOf(JSON.readValue(column, new TypeReference<List<Gpu>>() {}));
  }
}
