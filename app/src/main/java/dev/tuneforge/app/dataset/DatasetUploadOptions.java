package dev.tuneforge.app.dataset;

import dev.tuneforge.app.dataset.split.DatasetSplit;
import org.jspecify.annotations.Nullable;

/**
 * How an upload is read and stored.
 *
 * @param format the upload's format; null detects a JSONL layout, or CSV for a {@code .csv} file
 * @param dropInvalid store the valid rows and list the others instead of refusing the file
 * @param redactPersonalData replace personal data in the stored training and validation files
 * @param csv for CSV, which columns are which turn; null guesses them from the header's names
 * @param split how rows are divided between training and validation
 * @param datasetInfo for JSON rows, which keys are which part of a conversation (an entry of
 *     LLaMA-Factory's {@code dataset_info.json}); null reads each layout by its usual keys
 */
public record DatasetUploadOptions(
    @Nullable DatasetFormat format,
    boolean dropInvalid,
    boolean redactPersonalData,
    @Nullable CsvMapping csv,
    DatasetSplit split,
    @Nullable DatasetInfo datasetInfo) {

  public DatasetUploadOptions(
      @Nullable DatasetFormat format,
      boolean dropInvalid,
      boolean redactPersonalData,
      @Nullable CsvMapping csv,
      DatasetSplit split) {
    this(format, dropInvalid, redactPersonalData, csv, split, null);
  }

  public static DatasetUploadOptions defaults() {
    return new DatasetUploadOptions(null, false, false, null, DatasetSplit.none());
  }

  public DatasetUploadOptions withSplit(DatasetSplit split) {
    return new DatasetUploadOptions(
        format, dropInvalid, redactPersonalData, csv, split, datasetInfo);
  }

  public DatasetUploadOptions withDropInvalid(boolean dropInvalid) {
    return new DatasetUploadOptions(
        format, dropInvalid, redactPersonalData, csv, split, datasetInfo);
  }

  public DatasetUploadOptions withCsv(@Nullable CsvMapping csv) {
    return new DatasetUploadOptions(
        DatasetFormat.CSV, dropInvalid, redactPersonalData, csv, split, datasetInfo);
  }

  public DatasetUploadOptions withDatasetInfo(@Nullable DatasetInfo datasetInfo) {
    return new DatasetUploadOptions(
        format, dropInvalid, redactPersonalData, csv, split, datasetInfo);
  }
}
