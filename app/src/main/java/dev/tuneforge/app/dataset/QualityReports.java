package dev.tuneforge.app.dataset;

import tools.jackson.databind.json.JsonMapper;

/** The JSON a {@link QualityReport} is stored as on its version's row. */
final class QualityReports {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private QualityReports() {}

  static String toJson(QualityReport report) {
    return JSON.writeValueAsString(report);
  }

  static QualityReport fromJson(String json) {
    return JSON.readValue(json, QualityReport.class);
  }
}
