package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.JobEvent;

/** A child that reports one step and then trains "forever", so only a cancel can end it. */
public final class SlowTrainingJobMain {
  private SlowTrainingJobMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println(
        Json.MAPPER.writeValueAsString(JobEvent.metric(3, 100, 2.0, 1e-4, 50.0, 300)));
    System.out.flush();
    Thread.sleep(120_000);
  }
}
