package dev.tuneforge.app.dataset.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.UnorderedList;
import dev.tuneforge.app.dataset.PreferenceReport;
import java.util.Locale;

/** A preference dataset's own report: identical pairs, empty answers and length bias. */
class PreferenceReportView extends Div {

  PreferenceReportView(PreferenceReport p) {
    setId("preference-report");
    add(new H4("Preference pairs"));
    UnorderedList figures = new UnorderedList();
    figures.add(
        item("pairs", p.pairs() + " pairs"),
        item(
            "identical",
            p.identicalPairs() + " pairs left out whose chosen and rejected answers are the same"),
        item(
            "empty",
            p.emptyChosen()
                + " pairs left out with an empty chosen answer, "
                + p.emptyRejected()
                + " with an empty rejected answer"),
        item(
            "lengths",
            String.format(
                Locale.ROOT,
                "mean length %.0f characters chosen, %.0f rejected; the chosen answer is the"
                    + " longer in %d pairs (%.0f %%)%s",
                p.meanChosenChars(),
                p.meanRejectedChars(),
                p.chosenLonger(),
                p.chosenLongerPercent(),
                p.lengthBiased()
                    ? ": length alone tells the answers apart, so DPO may learn length rather"
                        + " than the rule the pairs stand for"
                    : "")));
    add(figures);
  }

  private static ListItem item(String id, String text) {
    ListItem item = new ListItem(text);
    item.setId("preference-" + id);
    return item;
  }
}
