package dev.tuneforge.app.dataset.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlaceholderScannerTest {

  private static Optional<String> find(String text) {
    boolean may = PlaceholderScanner.mayContain(text.toCharArray(), 0, text.length());
    Optional<String> found = PlaceholderScanner.find(text);
    assertThat(may || found.isEmpty()).as("the cheap pass never misses: %s", text).isTrue();
    return may ? found : Optional.empty();
  }

  @Test
  void templatePlaceholdersLeftInDataAreFound() {
    assertThat(find("Dear {{name}}, your order shipped.")).contains("{{name}}");
    assertThat(find("Hello {{ user.first_name }}!")).contains("{{ user.first_name }}");
    assertThat(find("Write to {customer_name} today.")).contains("{customer_name}");
    assertThat(find("Signed, <PLACEHOLDER>")).contains("<PLACEHOLDER>");
    assertThat(find("From: <YOUR_NAME>")).contains("<YOUR_NAME>");
    assertThat(find("Company: <INSERT COMPANY>")).contains("<INSERT COMPANY>");
    assertThat(find("Regards, [Insert name here]")).contains("[Insert name here]");
    assertThat(find("Total: [YOUR TOTAL]")).contains("[YOUR TOTAL]");
    assertThat(find("TODO: write the answer")).contains("TODO");
    assertThat(find("FIXME")).contains("FIXME");
    assertThat(find("Lorem ipsum dolor sit amet")).contains("Lorem ipsum");
  }

  @Test
  void jsonLatexMarkupAndOrdinaryTextAreNotPlaceholders() {
    for (String text :
        List.of(
            "{\"company\": \"99 SPEED MART\", \"total\": \"30.00\"}",
            "{\"items\": [{\"name\": \"tea\"}], \"meta\": {}}",
            "{{\"nested\": true}}",
            "x = \\frac{num}{den} and e^{abc} and a_{ijk}",
            "a set {1, 2, 3} and {x}",
            "<|im_start|>user<|im_end|> <think>reasoning</think> <b>bold</b> <DIV>",
            "see [1] and [Figure 2], [a link](https://example.com)",
            "Todo list: buy milk; a TODOS file; Fixme later; the forum in lorem",
            "TOTAL RM 30.00\nCASH RM 50.00\nCHANGE RM 20.00",
            "def f(x): return {k: v for k, v in x}")) {
      assertThat(find(text)).as(text).isEmpty();
    }
  }

  @Test
  void aLongPlaceholderIsShortenedForTheReport() {
    String bracket = "[Insert the full legal name of the company and its address]";
    assertThat(find(bracket))
        .get()
        .asString()
        .hasSize(PlaceholderScanner.EXAMPLE_CHARS)
        .endsWith("…");
  }
}
