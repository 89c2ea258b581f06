package dev.tuneforge.app.evaluation;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/** Stores an evaluation's status in lower case, as the column's check constraint spells it. */
@Converter(autoApply = true)
class EvaluationStatusConverter implements AttributeConverter<Evaluation.Status, String> {
  @Override
  public String convertToDatabaseColumn(Evaluation.Status status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public Evaluation.Status convertToEntityAttribute(String value) {
    return Evaluation.Status.valueOf(value.toUpperCase(Locale.ROOT));
  }
}
