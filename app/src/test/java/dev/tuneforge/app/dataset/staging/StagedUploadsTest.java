package dev.tuneforge.app.dataset.staging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.storage.ObjectKeys;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a browser upload is cut into parts, and where it is staged. */
class StagedUploadsTest {
  private static final long MIB = 1024L * 1024;

  @Test
  void partsAreEightMebibytesUntilAFileWouldNeedMoreThanTenThousand() {
    assertThat(StagedUploads.partSize(1)).isEqualTo(8 * MIB);
    assertThat(StagedUploads.partSize(2L * 1024 * MIB)).as("2 GB: 256 parts").isEqualTo(8 * MIB);
    assertThat(StagedUploads.partSize(10_000 * 8 * MIB)).isEqualTo(8 * MIB);
    long huge = 10_000 * 8 * MIB + 1;
    assertThat(StagedUploads.partSize(huge)).isEqualTo(9 * MIB);
    assertThat((huge + 9 * MIB - 1) / (9 * MIB)).isLessThanOrEqualTo(10_000);
  }

  @Test
  void theStagedKeyLiesInTheTenantsUploadsFolderWhateverTheFileIsCalled() {
    UUID tenant = UUID.randomUUID();
    UUID upload = UUID.randomUUID();
    String prefix = ObjectKeys.tenantPrefix(tenant) + "uploads/" + upload + "/";
    assertThat(ObjectKeys.stagedUpload(tenant, upload, "receipts 2024.jsonl"))
        .isEqualTo(prefix + "receipts_2024.jsonl");
    assertThat(ObjectKeys.stagedUpload(tenant, upload, "../../other/x.csv"))
        .isEqualTo(prefix + "____other_x.csv");
    assertThat(ObjectKeys.stagedUpload(tenant, upload, "a..b.jsonl"))
        .isEqualTo(prefix + "a_b.jsonl");
    assertThat(ObjectKeys.stagedUpload(tenant, upload, ".hidden")).isEqualTo(prefix + "_hidden");
    assertThat(ObjectKeys.stagedUpload(tenant, upload, "")).isEqualTo(prefix + "upload");
  }
}
