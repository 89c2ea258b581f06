package dev.tuneforge.app.synthetic.bench;

import dev.tuneforge.app.synthetic.DocumentKind;
import dev.tuneforge.app.synthetic.FieldSpec;
import dev.tuneforge.app.synthetic.FieldType;
import dev.tuneforge.app.synthetic.GenerationSpec;
import dev.tuneforge.app.synthetic.SyntheticGenerator;
import java.util.List;

/**
 * Rows per second of the generator alone, on one thread, for each document kind with eight fields
 * at noise 0.3. Not a test: run it by hand (docs/synthetic-data.md).
 *
 * <p>Arguments: rows per kind (default 20,000).
 */
public final class SyntheticGenerationBenchmark {
  private static final List<FieldSpec> FIELDS =
      List.of(
          new FieldSpec("vendor", FieldType.COMPANY, "The seller"),
          new FieldSpec("address", FieldType.ADDRESS, "The seller's address"),
          new FieldSpec("date", FieldType.DATE, "Date of the document"),
          new FieldSpec("invoice_number", FieldType.ID, "The number", List.of("INV-2024-0042")),
          new FieldSpec("customer", FieldType.PERSON, "Who pays"),
          new FieldSpec("phone", FieldType.PHONE, "The seller's phone"),
          new FieldSpec("status", FieldType.ENUM, "Payment status", List.of("paid", "open")),
          new FieldSpec("total", FieldType.MONEY, "Amount due"));

  private SyntheticGenerationBenchmark() {}

  public static void main(String[] args) {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    for (DocumentKind kind : DocumentKind.values()) {
      SyntheticGenerator generator =
          new SyntheticGenerator(new GenerationSpec(FIELDS, kind, rows, 1, 0.3));
      long bytes = 0;
      for (int i = 0; i < Math.min(rows, 2000); i++) {
        bytes += generator.row(i).length();
      }
      bytes = 0;
      long started = System.nanoTime();
      for (int i = 0; i < rows; i++) {
        bytes += generator.row(i).length();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "%-16s %,d rows in %.1f s: %,.0f rows/s, %.1f MB/s%n",
          kind.label(), rows, seconds, rows / seconds, bytes / seconds / 1e6);
    }
  }
}
