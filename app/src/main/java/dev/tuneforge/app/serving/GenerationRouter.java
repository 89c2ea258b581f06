package dev.tuneforge.app.serving;

import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationPoll;
import dev.tuneforge.protocol.GenerationRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Routes generations to serving nodes through PostgreSQL, so that every app replica shares one
 * queue: a generation is queued as a row ({@link GenerationQueue}) and held here, where its caller
 * waits; a node polling any replica takes it (those of a base the node has loaded first, oldest
 * first); its chunks reach this replica directly when the node posts them here, or through the
 * chunk table and a NOTIFY when it posts them to another replica. One listening connection per
 * replica wakes one waiting poll per queued generation ({@link WaitingPolls}) and reads the chunks;
 * every few seconds it also touches the rows this replica holds, reads the chunks of any whose
 * notification was missed (one query for all), and sweeps the rows of replicas that stopped.
 */
final class GenerationRouter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GenerationRouter.class);

  /** A waiting poll looks again this often even without a notification (one may be lost). */
  private static final Duration RECHECK = Duration.ofSeconds(2);

  private static final Duration TICK = Duration.ofSeconds(5);
  private static final Duration STALE = Duration.ofSeconds(60);

  private final GenerationQueue queue;
  private final DataSource dataSource;
  private final ServingProperties properties;
  private final Map<UUID, Generation> held = new ConcurrentHashMap<>();
  private final WaitingPolls waiting = new WaitingPolls();
  private final long recheckMillis;
  private volatile Consumer<Generation> finished = generation -> {};
  private volatile boolean closed;
  private final Thread listener;

  GenerationRouter(DataSource dataSource, ServingProperties properties) {
    this(dataSource, properties, RECHECK);
  }

  /** With waiting polls looking again every {@code recheck} without a notification. */
  GenerationRouter(DataSource dataSource, ServingProperties properties, Duration recheck) {
    this.queue = new GenerationQueue(JdbcClient.create(dataSource));
    this.dataSource = dataSource;
    this.properties = properties;
    this.recheckMillis = recheck.toMillis();
    this.listener = Thread.ofPlatform().daemon().name("generation-listener").start(this::listen);
  }

  /** Called once with each generation this replica holds whose answer is complete. */
  void onFinished(Consumer<Generation> callback) {
    this.finished = callback;
  }

  /**
   * Queues a generation for the next serving node that polls any replica; its NOTIFY wakes one
   * waiting poll on each replica, this one included.
   */
  Generation submit(GenerationRequest request, ServedModel model, String caller) {
    Generation generation = new Generation(request, model, caller);
    held.put(generation.id(), generation);
    try {
      queue.add(request, model.tenantId(), model.name(), properties.pickupTimeout());
    } catch (RuntimeException e) {
      held.remove(generation.id());
      throw e;
    }
    return generation;
  }

  /**
   * Up to {@code poll.capacity()} generations for this node, waiting up to {@code wait} for the
   * first; empty when none came.
   */
  List<GenerationRequest> poll(UUID nodeId, GenerationPoll poll, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    WaitingPolls.Waiter waiter = waiting.join(poll.loadedBaseModels());
    List<GenerationRequest> taken = List.of();
    try {
      while (true) {
        waiter.arm();
        taken = queue.take(nodeId, poll);
        if (!taken.isEmpty()) {
          for (GenerationRequest request : taken) {
            Generation generation = held.get(request.id());
            if (generation != null) {
              generation.takenBy(nodeId);
            }
          }
          return taken;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return taken;
        }
        waiter.await(Math.max(1, Math.min(recheckMillis, left / 1_000_000)));
      }
    } finally {
      waiter.leave(taken.stream().map(request -> request.baseModel().cacheKey()).toList());
    }
  }

  /**
   * The tenant and model of a generation the node took, to sign its files again; empty for any
   * other node's, or one that ended.
   */
  Optional<GenerationQueue.AskedOf> askedOf(UUID nodeId, UUID generationId) {
    return queue.askedOf(nodeId, generationId);
  }

  /** How many waiting polls queued generations woke on this replica, for tests. */
  long wakeups() {
    return waiting.wakeups();
  }

  /** How many polls wait on this replica now. */
  int waitingPolls() {
    return waiting.size();
  }

  /**
   * A chunk from the node running the generation; refused for another node's generation, an unknown
   * one, or one whose caller went away.
   */
  Generation.Accepted chunk(UUID nodeId, UUID generationId, GenerationChunk chunk) {
    Generation generation = held.get(generationId);
    if (generation == null) {
      return queue.post(nodeId, generationId, chunk)
          ? Generation.Accepted.TAKEN
          : Generation.Accepted.REFUSED;
    }
    if (generation.node() == null) {
      queue.takenBy(generationId).ifPresent(generation::takenBy);
    }
    if (!nodeId.equals(generation.node())) {
      return Generation.Accepted.REFUSED;
    }
    return settle(generation, generation.accept(chunk));
  }

  private Generation.Accepted settle(Generation generation, Generation.Accepted accepted) {
    if (accepted != Generation.Accepted.TAKEN && held.remove(generation.id()) != null) {
      queue.remove(generation.id());
    }
    if (accepted == Generation.Accepted.FINISHED) {
      try {
        finished.accept(generation);
      } finally {
        generation.settle();
      }
    } else if (accepted == Generation.Accepted.REFUSED) {
      generation.settle();
    }
    return accepted;
  }

  /**
   * The caller went away: its row goes, so that no node takes it and its node's chunks are refused.
   */
  void abandon(Generation generation) {
    generation.abandon();
    generation.settle();
    if (held.remove(generation.id()) != null) {
      queue.remove(generation.id());
    }
  }

  /** How many generations this replica holds for their callers. */
  int held() {
    return held.size();
  }

  private void listen() {
    while (!closed) {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("LISTEN " + GenerationQueue.CHANNEL);
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long nextTick = 0;
        while (!closed) {
          PGNotification[] notifications = postgres.getNotifications(500);
          if (notifications != null) {
            for (PGNotification notification : notifications) {
              handle(notification.getParameter());
            }
          }
          if (System.nanoTime() - nextTick >= 0) {
            tick();
            nextTick = System.nanoTime() + TICK.toNanos();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          log.warn("Serving lost its database listener, reconnecting: {}", e.getMessage());
          sleepQuietly();
        }
      }
    }
  }

  private void handle(String payload) {
    if (payload.equals("q")) {
      waiting.wakeOne(null);
      return;
    }
    if (payload.startsWith("q:")) {
      waiting.wakeOne(payload.substring(2));
      return;
    }
    String[] parts = payload.split(":");
    Generation generation = held.get(UUID.fromString(parts[1]));
    if (generation == null) {
      return;
    }
    if (parts[0].equals("t")) {
      if (generation.node() == null) {
        generation.takenBy(UUID.fromString(parts[2]));
      }
    } else {
      deliver(generation);
    }
  }

  /** Hands the chunks other replicas stored for a generation held here to its caller. */
  private void deliver(Generation generation) {
    for (GenerationQueue.Posted posted : queue.drain(generation.id())) {
      if (generation.node() == null) {
        generation.takenBy(posted.node());
      }
      if (settle(generation, generation.accept(posted.chunk())) != Generation.Accepted.TAKEN) {
        return;
      }
    }
  }

  /**
   * Drops generations whose callers gave up, reads chunks whose notification was missed, and keeps
   * this replica's rows from being swept.
   */
  private void tick() {
    List<UUID> taken = new ArrayList<>();
    for (Generation generation : Set.copyOf(held.values())) {
      if (generation.isAbandoned()) {
        abandon(generation);
      } else if (generation.node() != null) {
        taken.add(generation.id());
      }
    }
    for (UUID id : queue.withChunks(taken)) {
      Generation generation = held.get(id);
      if (generation != null) {
        deliver(generation);
      }
    }
    queue.touchAndSweep(held.keySet(), STALE);
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    listener.join(Duration.ofSeconds(5));
  }
}
