package dev.tuneforge.trainingnode.train;

import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.chat.PreferenceDataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Preference pairs encoded for DPO: the chosen and the rejected answers with their prompt, in the
 * same order, keeping only pairs where both answers keep a labelled token after truncation.
 */
public record EncodedPairs(
    List<EncodedExample> chosen, List<EncodedExample> rejected, int truncated, int leftOut) {

  public static EncodedPairs encode(List<PreferenceDataset.Pair> pairs, ChatEncoder encoder) {
    List<EncodedExample> chosen = new ArrayList<>();
    List<EncodedExample> rejected = new ArrayList<>();
    int truncated = 0;
    int leftOut = 0;
    for (PreferenceDataset.Pair pair : pairs) {
      EncodedExample c = encoder.encode(pair.chosen());
      EncodedExample r = encoder.encode(pair.rejected());
      truncated += c.truncated() || r.truncated() ? 1 : 0;
      if (c.trainableTokens() == 0 || r.trainableTokens() == 0) {
        leftOut++;
      } else {
        chosen.add(c);
        rejected.add(r);
      }
    }
    return new EncodedPairs(List.copyOf(chosen), List.copyOf(rejected), truncated, leftOut);
  }

  public int size() {
    return chosen.size();
  }
}
