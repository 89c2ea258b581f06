package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * The rsLoRA and packing choices of the new fine-tune form are kept with the job (V010), off for
 * requests and rows that predate them, and only the job's own tenant reads them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
class FineTuneTrainingOptionsIT {
  @Autowired FineTuneService fineTunes;
  @Autowired FineTuneRepository jobs;
  @Autowired JdbcClient jdbc;

  @Test
  void rsLoraAndPackingAreKeptWithTheJobOfItsTenantOnly() {
    TestRows rows = new TestRows(jdbc);
    UUID tenant = rows.tenant("opts");
    UUID other = rows.tenant("other");
    UUID[] ids =
        TenantContext.callAs(
            tenant,
            () -> {
              UUID user =
                  TenantContext.callAsSystem(() -> rows.user(tenant, "u-" + UUID.randomUUID()));
              UUID model = TenantContext.callAsSystem(() -> rows.model("m-" + UUID.randomUUID()));
              UUID version =
                  TenantContext.callAsSystem(() -> rows.datasetVersion(tenant, user, 1, 1));
              FineTuneRequest d = FineTuneRequest.defaults(model, version);
              FineTuneRequest both = d.toBuilder().optRslora(true).optPacking(true).build();
              return new UUID[] {
                jobs.save(new FineTuneJob("with options", user, both, Instant.now())).getId(),
                jobs.save(new FineTuneJob("defaults", user, d, Instant.now())).getId()
              };
            });

    FineTuneJob withOptions =
        TenantContext.callAs(tenant, () -> fineTunes.find(ids[0]).orElseThrow());
    FineTuneJob plain = TenantContext.callAs(tenant, () -> fineTunes.find(ids[1]).orElseThrow());
    assertThat(withOptions.isUseRslora()).isTrue();
    assertThat(withOptions.isPacking()).isTrue();
    assertThat(plain.isUseRslora()).isFalse();
    assertThat(plain.isPacking()).isFalse();
    assertThat(TenantContext.callAs(other, () -> fineTunes.find(ids[0]))).isEmpty();

    // Rows from before V010 read as plain LoRA without packing.
    List<String> columns =
        jdbc.sql(
                "select column_name || ' ' || is_nullable || ' ' || column_default from information_schema.columns"
                    + " where table_name = 'fine_tune_job' and column_name in ('use_rslora', 'packing') order by column_name")
            .query(String.class)
            .list();
    assertThat(columns).containsExactly("packing NO false", "use_rslora NO false");
  }
}
