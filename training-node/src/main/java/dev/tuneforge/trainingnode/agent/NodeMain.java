package dev.tuneforge.trainingnode.agent;

/** Entry point of {@code java -jar training-node.jar}: options, shutdown hook, exit codes. */
public final class NodeMain {
  private NodeMain() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(NodeOptions.USAGE);
      return;
    }
    NodeOptions options;
    try {
      options = NodeOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(NodeOptions.USAGE);
      System.exit(2);
      return;
    }
    NodeAgent agent = new NodeAgent(options);
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              Log.info("shutting down");
              agent.stop();
              main.interrupt();
            },
            "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      agent.run();
    } catch (FatalNodeError e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      Log.error(e.getMessage());
      System.exit(e.exitCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
