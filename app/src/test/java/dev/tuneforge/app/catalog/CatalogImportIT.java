package dev.tuneforge.app.catalog;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.ContextConfiguration;

/**
 * Registering model folders already in the bucket, as platform and tenant admins, against real
 * PostgreSQL and S3: validation first, nothing left by a refusal, and a tenant's model out of every
 * other tenant's reach.
 */
@SpringBootTest
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class CatalogImportIT {
  @Autowired CatalogService catalog;
  @Autowired ObjectStorage storage;
  @Autowired FineTuneService fineTunes;
  @Autowired JdbcClient jdbc;
  @TempDir Path temp;

  @Test
  void aPlatformModelInTheBucketIsRegisteredWithoutCopyingAndEveryTenantSeesIt() throws Exception {
    String prefix = "mirror/" + UUID.randomUUID() + "/tiny-llama/";
    long parameters = mirror(prefix, temp.resolve("m"));
    int objectsBefore = storage.list("").size();
    TestRows rows = new TestRows(jdbc);

    BaseModel model =
        as(
            platformAdmin(),
            () ->
                catalog.registerPrefix(
                    new ModelImport("Acme/Tiny-Llama-" + suffix(), "main", "Tiny", null), prefix));

    assertThat(model.getObjectPrefix()).isEqualTo(prefix);
    assertThat(storage.list("").size()).as("nothing copied").isEqualTo(objectsBefore);
    assertThat(model.getParameters()).isEqualTo(parameters);
    assertThat(model.getArchitecture()).isEqualTo("LlamaForCausalLM");
    assertThat(model.getDtypes()).containsExactly("F32");
    assertThat(model.getContextLength()).isEqualTo(256);
    assertThat(model.isPlatformModel()).isTrue();
    assertThat(model.getLabel()).isEqualTo("Tiny");
    for (SignedInUser member : List.of(rows.member("a"), rows.member("b"))) {
      assertThat(as(member, () -> catalog.offered()))
          .extracting(BaseModel::getId)
          .contains(model.getId());
      assertThat(as(member, () -> catalog.find(model.getId()))).isPresent();
    }
  }

  @Test
  void aTenantsModelIsSeenRegisteredRetiredAndTrainedOnByThatTenantAlone() throws Exception {
    TestRows rows = new TestRows(jdbc);
    SignedInUser adminA = admin(rows, "a");
    SignedInUser adminB = admin(rows, "b");
    SignedInUser memberB = member(rows, adminB);
    String prefixOfA = ObjectKeys.tenantPrefix(adminA.tenantId()) + "hub/tiny/";
    mirror(prefixOfA, temp.resolve("a"));
    String name = "Acme/Private-" + suffix();

    assertThatThrownBy(
            () -> as(adminB, () -> catalog.registerPrefix(ModelImport.of(name), prefixOfA)))
        .as("B cannot register A's prefix")
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(
            () ->
                as(platformAdmin(), () -> catalog.registerPrefix(ModelImport.of(name), prefixOfA)))
        .as("a platform model never lies in a tenant's area")
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(
            () ->
                as(
                    member(rows, adminA),
                    () -> catalog.registerPrefix(ModelImport.of(name), prefixOfA)))
        .as("members do not import")
        .isInstanceOf(AccessDeniedException.class);

    BaseModel model = as(adminA, () -> catalog.registerPrefix(ModelImport.of(name), prefixOfA));

    assertThat(model.getOwnerTenantId()).isEqualTo(adminA.tenantId());
    assertThat(as(adminA, () -> catalog.offered()))
        .extracting(BaseModel::getId)
        .contains(model.getId());
    assertThat(as(memberB, () -> catalog.list()))
        .extracting(BaseModel::getId)
        .doesNotContain(model.getId());
    assertThat(as(memberB, () -> catalog.find(model.getId()))).isEmpty();
    assertThat(as(memberB, () -> catalog.findByName(name))).isEmpty();
    assertThat(as(platformAdmin(), () -> catalog.find(model.getId())))
        .as("the platform admin is outside every tenant")
        .isEmpty();
    assertThatThrownBy(() -> as(adminB, () -> catalog.retire(model.getId())))
        .isInstanceOf(IllegalArgumentException.class);
    UUID versionOfB = rows.datasetVersion(memberB.tenantId(), memberB.userId(), 10, 100);
    assertThatThrownBy(
            () ->
                as(
                    memberB,
                    () -> fineTunes.create(FineTuneRequest.defaults(model.getId(), versionOfB))))
        .as("B cannot train on A's model")
        .hasMessage("Choose a base model");

    assertThatThrownBy(
            () -> as(adminA, () -> catalog.registerPrefix(ModelImport.of(name), prefixOfA)))
        .as("one id and revision per owner")
        .hasMessageContaining("already has " + name);
    assertThat(
            as(
                adminB,
                () ->
                    catalog.registerPrefix(
                        ModelImport.of(name),
                        mirrorQuietly(ObjectKeys.tenantPrefix(adminB.tenantId()) + "tiny/"))))
        .as("another owner may hold the same id")
        .extracting(BaseModel::getOwnerTenantId)
        .isEqualTo(adminB.tenantId());
  }

  @Test
  void aRetiredModelLeavesTheOfferButNotItsJobs() throws Exception {
    TestRows rows = new TestRows(jdbc);
    SignedInUser admin = admin(rows, "r");
    SignedInUser member = member(rows, admin);
    String prefix = ObjectKeys.tenantPrefix(admin.tenantId()) + "retire/tiny/";
    mirror(prefix, temp.resolve("r"));
    BaseModel model =
        as(admin, () -> catalog.registerPrefix(ModelImport.of("Acme/Old-" + suffix()), prefix));
    UUID version = rows.datasetVersion(admin.tenantId(), member.userId(), 10, 100);
    UUID oldJob =
        rows.job(admin.tenantId(), member.userId(), model.getId(), version, "old", "succeeded");

    assertThatThrownBy(() -> as(member, () -> catalog.retire(model.getId())))
        .isInstanceOf(AccessDeniedException.class);
    as(admin, () -> catalog.retire(model.getId()));

    assertThat(as(member, () -> catalog.offered()))
        .extracting(BaseModel::getId)
        .doesNotContain(model.getId());
    assertThat(as(member, () -> catalog.find(model.getId())))
        .as("old jobs still find their model")
        .hasValueSatisfying(m -> assertThat(m.isRetired()).isTrue());
    assertThat(as(member, () -> fineTunes.find(oldJob))).isPresent();
    assertThatThrownBy(
            () ->
                as(
                    member,
                    () -> fineTunes.create(FineTuneRequest.defaults(model.getId(), version))))
        .hasMessageContaining("is retired");
  }

  @Test
  void aBrokenFolderIsRefusedNamingTheFileAndLeavesNoRow() throws Exception {
    String prefix = "mirror/" + UUID.randomUUID() + "/broken/";
    Path folder = temp.resolve("broken");
    TinyModelFolder.write(folder);
    Files.delete(folder.resolve("tokenizer.json"));
    upload(prefix, folder);
    String name = "Acme/Broken-" + suffix();
    int rowsBefore = count();

    assertThatThrownBy(
            () -> as(platformAdmin(), () -> catalog.registerPrefix(ModelImport.of(name), prefix)))
        .isInstanceOfSatisfying(
            ModelRejectedException.class, e -> assertThat(e.file()).isEqualTo("tokenizer.json"));
    assertThat(count()).isEqualTo(rowsBefore);
    assertThat(storage.list(prefix)).as("the operator's files stay").isNotEmpty();
  }

  @Test
  void aLocalFolderBecomesAPlatformModelAndARefusedOneLeavesNoObject() {
    Path good = temp.resolve("good");
    long parameters = TinyModelFolder.write(good);
    BaseModel model =
        catalog.importPlatformDirectory(ModelImport.of("Acme/Local-" + suffix()), good);
    assertThat(model.getObjectPrefix()).isEqualTo(ObjectKeys.platformModel(model.getId()));
    assertThat(catalog.files(model)).contains("config.json", "model.safetensors", "tokenizer.json");
    assertThat(model.getParameters()).isEqualTo(parameters);

    Path bad = temp.resolve("bad");
    TinyModelFolder.write(bad);
    writeQuietly(bad.resolve("config.json"), "{\"architectures\": [\"BertModel\"]}");
    int rowsBefore = count();
    List<String> modelsBefore = storage.list(ObjectKeys.MODELS);
    assertThatThrownBy(
            () -> catalog.importPlatformDirectory(ModelImport.of("Acme/Bert-" + suffix()), bad))
        .isInstanceOfSatisfying(
            ModelRejectedException.class, e -> assertThat(e.file()).isEqualTo("config.json"));
    assertThat(count()).isEqualTo(rowsBefore);
    assertThat(storage.list(ObjectKeys.MODELS)).isEqualTo(modelsBefore);
  }

  @Test
  void namesAreHuggingFaceIds() {
    assertThat(ModelImport.of("Qwen/Qwen3-0.6B").name()).isEqualTo("Qwen/Qwen3-0.6B");
    assertThat(ModelImport.of("gpt2").name()).isEqualTo("gpt2");
    for (String bad : List.of("", "a/b/c", "../etc", "Qwen/", "/Qwen", "a--b/c", "Qwen/Qwen 3")) {
      assertThatThrownBy(() -> ModelImport.of(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a Hugging Face id");
    }
    assertThatThrownBy(() -> new ModelImport("Qwen/Qwen3-0.6B", "../x", null, null))
        .hasMessageContaining("not a revision");
  }

  private long mirror(String prefix, Path folder) throws IOException {
    long parameters = TinyModelFolder.write(folder);
    upload(prefix, folder);
    return parameters;
  }

  private String mirrorQuietly(String prefix) {
    try {
      mirror(prefix, Files.createTempDirectory(temp, "m"));
      return prefix;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void upload(String prefix, Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        storage.put(prefix + file.getFileName(), file, "application/octet-stream");
      }
    }
  }

  private int count() {
    return jdbc.sql("select count(*) from base_model").query(Integer.class).single();
  }

  static SignedInUser platformAdmin() {
    return new SignedInUser(
        UUID.randomUUID(), null, "root", "root", Role.PLATFORM_ADMIN, "x", true);
  }

  static SignedInUser admin(TestRows rows, String name) {
    UUID tenant = rows.tenant(name);
    UUID user = rows.user(tenant, name + "-admin-" + suffix());
    return new SignedInUser(user, tenant, name, name, Role.TENANT_ADMIN, "x", true);
  }

  static SignedInUser member(TestRows rows, SignedInUser admin) {
    String username = "member-" + suffix();
    UUID user = rows.user(admin.tenantId(), username);
    return new SignedInUser(user, admin.tenantId(), username, username, Role.MEMBER, "x", true);
  }

  static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static void writeQuietly(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
