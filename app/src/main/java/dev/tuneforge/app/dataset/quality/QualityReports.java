package dev.tuneforge.app.dataset.quality;

import dev.tuneforge.app.dataset.QualityReport;
import tools.jackson.databind.json.JsonMapper;

/** The JSON a {@link QualityReport} is stored as on its version's row. */
public final class QualityReports {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private QualityReports() {}

  public static String toJson(QualityReport report) {
    return JSON.writeValueAsString(report);
  }

  public static QualityReport fromJson(String json) {
    return JSON.readValue(json, QualityReport.class);
  }
}
