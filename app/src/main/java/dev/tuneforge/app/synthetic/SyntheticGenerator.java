package dev.tuneforge.app.synthetic;

import dev.tuneforge.app.synthetic.Draft.Distractor;
import dev.tuneforge.app.synthetic.Draft.Entry;
import dev.tuneforge.app.synthetic.Draft.LabelCase;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.datafaker.Faker;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes documents of one kind with the spec's fields embedded, and their exact ground truth. Row
 * {@code i} depends only on the spec, the seed and {@code i}: the random source is reseeded for
 * every row, so a preview shows the first rows of the real run, byte for byte.
 *
 * <p>Noise {@code n} in [0, 1]: each field is left out with probability {@code 0.4 n} (null in the
 * truth), gets a distractor with probability {@code 0.8 n}, and OCR garbles {@code 6 n}% of the
 * characters around the values and, above {@code n = 0.5}, {@code 10 (n - 0.5)}% of those in them.
 * Labels are always the true values.
 */
public final class SyntheticGenerator {
  static final double OMISSION = 0.4;
  static final double DISTRACTION = 0.8;
  static final double OCR_OUTSIDE = 0.06;
  static final double OCR_INSIDE = 0.10;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<FieldType, List<String>> DISTRACTOR_LABELS =
      Map.ofEntries(
          Map.entry(
              FieldType.MONEY,
              List.of(
                  "subtotal",
                  "amount tendered",
                  "change",
                  "previous balance",
                  "discount",
                  "deposit")),
          Map.entry(
              FieldType.DATE,
              List.of("due date", "printed", "delivery date", "order date", "valid until")),
          Map.entry(FieldType.ID, List.of("ref", "customer id", "order no.", "terminal id")),
          Map.entry(FieldType.PERSON, List.of("served by", "approved by", "contact")),
          Map.entry(FieldType.COMPANY, List.of("powered by", "shipped via", "partner")),
          Map.entry(FieldType.ADDRESS, List.of("ship to", "branch address", "return address")),
          Map.entry(FieldType.PHONE, List.of("fax", "support line")),
          Map.entry(FieldType.EMAIL, List.of("cc", "reply to")),
          Map.entry(FieldType.NUMBER, List.of("page", "table", "terminal")),
          Map.entry(FieldType.ENUM, List.of("previously", "last time")),
          Map.entry(FieldType.STRING, List.of("note", "see also")));

  private final GenerationSpec spec;
  private final Random random = new Random(0);
  private final FieldValues values;
  private final Set<String> fieldLabelKeys = new HashSet<>();
  private final String systemPrompt;

  public SyntheticGenerator(GenerationSpec spec) {
    this.spec = spec;
    this.values = new FieldValues(new Faker(Locale.US, random), random);
    for (FieldSpec field : spec.fields()) {
      fieldLabelKeys.add(Labels.key(Labels.words(field.name())));
    }
    this.systemPrompt = systemPrompt(spec);
  }

  public String systemPrompt() {
    return systemPrompt;
  }

  /** Row {@code index} as canonical chat JSONL (one line, no line break). */
  public String row(int index) {
    return row(example(index));
  }

  public String row(GeneratedExample example) {
    StringWriter out = new StringWriter(example.document().length() + systemPrompt.length() + 256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeName("messages");
      json.writeStartArray();
      message(json, "system", systemPrompt);
      message(json, "user", example.document());
      message(json, "assistant", example.answer());
      json.writeEndArray();
      json.writeEndObject();
    }
    return out.toString();
  }

  public GeneratedExample example(int index) {
    random.setSeed(mix(spec.seed() * 0x9E3779B97F4A7C15L + index));
    Draft draft =
        new Draft(
            spec.kind(),
            values.pick(List.of(LabelCase.values())),
            values.pick(List.of(": ", ": ", " : ", ":  ")),
            values.pick(List.of("$", "$", "", "USD ")));
    DateStyle dateStyle = values.pick(List.of(DateStyle.values()));
    boolean upper = spec.kind() == DocumentKind.RECEIPT && random.nextDouble() < 0.4;
    Map<String, String> computed = Ledger.fill(draft, spec.fields(), values);
    for (FieldSpec field : spec.fields()) {
      String value =
          computed.containsKey(field.name())
              ? computed.get(field.name())
              : values.value(field, dateStyle);
      if (upper && uppercased(field)) {
        value = value.toUpperCase(Locale.ROOT);
      }
      boolean omitted = random.nextDouble() < OMISSION * spec.noise();
      draft.entries.add(
          new Entry(field, value, omitted, draft.label(Labels.variant(field.name(), random))));
    }
    for (Entry entry : draft.entries) {
      if (random.nextDouble() < DISTRACTION * spec.noise()) {
        Distractor distractor = distractor(entry, draft, dateStyle, upper);
        if (distractor != null) {
          draft.distractors.add(distractor);
        }
      }
    }
    DocumentText text = Layouts.render(draft, values);
    double noise = spec.noise();
    String document =
        text.noisy(random, OCR_OUTSIDE * noise, Math.max(0, noise - 0.5) * OCR_INSIDE);
    return new GeneratedExample(
        document,
        text.clean(),
        answer(draft),
        draft.entries.stream()
            .filter(Entry::shown)
            .collect(
                Collectors.toMap(
                    e -> e.field().name(), Entry::value, (a, b) -> a, LinkedHashMap::new)),
        draft.entries.stream().filter(Entry::omitted).map(e -> e.field().name()).toList(),
        draft.distractors.stream().map(Distractor::value).toList());
  }

  private @Nullable Distractor distractor(
      Entry entry, Draft draft, DateStyle dateStyle, boolean upper) {
    FieldSpec field = entry.field();
    List<String> labels = new ArrayList<>(DISTRACTOR_LABELS.get(field.type()));
    labels.removeIf(label -> fieldLabelKeys.contains(Labels.key(label)));
    if (labels.isEmpty()) {
      return null;
    }
    String value =
        switch (field.type()) {
          case MONEY -> {
            BigDecimal truth = FieldSpec.amount(entry.value());
            double base = truth == null ? 100 : truth.doubleValue();
            yield FieldValues.amount(base * (0.75 + 0.2 * random.nextDouble())).toPlainString();
          }
          case DATE ->
              values.date(DateStyle.matching(entry.value()).stream().findFirst().orElse(dateStyle));
          default -> values.value(field, dateStyle);
        };
    if (upper && uppercased(field)) {
      value = value.toUpperCase(Locale.ROOT);
    }
    if (value.equals(entry.value())) {
      return null;
    }
    return new Distractor(field.type(), draft.label(values.pick(labels)), value);
  }

  private static boolean uppercased(FieldSpec field) {
    return switch (field.type()) {
      case COMPANY, PERSON, ADDRESS -> true;
      case STRING -> field.examples().isEmpty();
      default -> false;
    };
  }

  private String answer(Draft draft) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      for (Entry entry : draft.entries) {
        json.writeName(entry.field().name());
        if (entry.omitted()) {
          json.writeNull();
        } else if (entry.field().type() == FieldType.NUMBER) {
          json.writeNumber(entry.value());
        } else {
          json.writeString(entry.value());
        }
      }
      json.writeEndObject();
    }
    return out.toString();
  }

  private static void message(JsonGenerator json, String role, String content) {
    json.writeStartObject();
    json.writeStringProperty("role", role);
    json.writeStringProperty("content", content);
    json.writeEndObject();
  }

  static String systemPrompt(GenerationSpec spec) {
    String noun = spec.kind().noun();
    StringBuilder prompt =
        new StringBuilder()
            .append("Extract the following fields from the ")
            .append(noun)
            .append(
                " the user sends. Reply with one JSON object that has exactly these keys, in this order, ")
            .append("and nothing else. Copy each value as the ")
            .append(noun)
            .append(" writes it, correcting obvious OCR errors; use null for a field the ")
            .append(noun)
            .append(" does not state.\n");
    for (FieldSpec field : spec.fields()) {
      prompt.append("- ").append(field.name()).append(" (").append(field.type().id());
      if (field.type() == FieldType.ENUM) {
        prompt
            .append(": one of ")
            .append(
                field.examples().stream()
                    .map(e -> "\"" + e + "\"")
                    .collect(Collectors.joining(", ")));
      } else if (field.type() == FieldType.NUMBER) {
        prompt.append(", a JSON number");
      }
      prompt.append(")");
      if (!field.description().isEmpty()) {
        prompt.append(": ").append(field.description());
      }
      prompt.append('\n');
    }
    return prompt.toString().strip();
  }

  /** SplitMix64's finaliser: neighbouring rows and seeds get unrelated random streams. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
