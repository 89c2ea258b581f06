package dev.tuneforge.app.finetune;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/** Stores statuses in the lower-case spelling of the wire format. */
@Converter(autoApply = true)
class JobStatusConverter implements AttributeConverter<JobStatus, String> {
  @Override
  public String convertToDatabaseColumn(JobStatus status) {
    return status.wire();
  }

  @Override
  public JobStatus convertToEntityAttribute(String value) {
    return JobStatus.valueOf(value.toUpperCase(Locale.ROOT));
  }
}
