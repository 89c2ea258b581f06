package dev.tuneforge.app.finetune;

import dev.tuneforge.protocol.JobEvent;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores event types as the node sends them ({@code metric}, {@code log}, …). */
@Converter(autoApply = true)
class JobEventTypeConverter implements AttributeConverter<JobEvent.Type, String> {
  @Override
  public String convertToDatabaseColumn(JobEvent.Type type) {
    return type.wire();
  }

  @Override
  public JobEvent.Type convertToEntityAttribute(String value) {
    return JobEvent.Type.fromWire(value);
  }
}
