package dev.tuneforge.trainingnode.agent;

/** A child that dies the way a broken training run does: a message on stderr, exit 1, no result. */
public final class CrashingTrainingJobMain {
  private CrashingTrainingJobMain() {}

  public static void main(String[] args) {
    System.err.println(
        "Exception in thread \"main\" java.lang.IllegalStateException: model/config.json has no hidden_size");
    System.err.println("\tat dev.tuneforge.trainingnode.train.Somewhere.load(Somewhere.java:42)");
    System.exit(1);
  }
}
