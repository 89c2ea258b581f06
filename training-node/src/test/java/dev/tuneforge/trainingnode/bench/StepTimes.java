package dev.tuneforge.trainingnode.bench;

import java.util.ArrayList;
import java.util.List;

/** Wall-clock seconds of the timed steps of one side, pooled over rounds, and the peaks seen. */
final class StepTimes {

  final List<Double> seconds = new ArrayList<>();
  long heapPeakBytes = -1;
  long residentPeakBytes = -1;
  double firstLoss = Double.NaN;
  String runtime = "-";
  int threads = -1;
  final CpuSteal steal = new CpuSteal();

  void add(List<Double> steps) {
    seconds.addAll(steps);
  }

  void peaks(long heap, long resident) {
    heapPeakBytes = Math.max(heapPeakBytes, heap);
    residentPeakBytes = Math.max(residentPeakBytes, resident);
  }

  double median() {
    List<Double> sorted = seconds.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  double mean() {
    return seconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  double min() {
    return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  double max() {
    return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
