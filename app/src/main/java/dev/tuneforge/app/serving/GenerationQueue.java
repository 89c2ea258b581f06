package dev.tuneforge.app.serving;

import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationPoll;
import dev.tuneforge.protocol.GenerationRequest;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serving's rows in PostgreSQL, shared by the app's replicas (V048): generations waiting for a
 * node, taken by a polling node with {@code FOR UPDATE SKIP LOCKED} so that two replicas never hand
 * one out twice, and the chunks a node posted to a replica other than the one holding the caller.
 * Each change is announced on {@link #CHANNEL}: {@code q:base} (a generation of that base model's
 * cache key queued), {@code t:id:node} (taken), {@code c:id} (a chunk stored).
 */
final class GenerationQueue {
  static final String CHANNEL = "tuneforge_generation";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A chunk read back, with the node that posted it. */
  record Posted(GenerationChunk chunk, UUID node) {}

  private final JdbcClient jdbc;

  GenerationQueue(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Whose generation it is and the model its caller named, as {@link #add} stored them. */
  record AskedOf(UUID tenantId, String model) {}

  void add(GenerationRequest request, UUID tenantId, String model, Duration pickupTimeout) {
    jdbc.sql(
            "insert into generation_request (id, tenant_id, base_model, model, request, state,"
                + " created_at, pickup_deadline, touched_at) values (?, ?, ?, ?, ?::jsonb, 'queued',"
                + " clock_timestamp(), clock_timestamp() + ?::interval, clock_timestamp())")
        .params(
            request.id(),
            tenantId,
            request.baseModel().cacheKey(),
            model,
            JSON.writeValueAsString(request),
            pickupTimeout.toMillis() + " milliseconds")
        .update();
    notify("q:" + request.baseModel().cacheKey());
  }

  /**
   * Up to {@code poll.capacity()} queued generations of one base model (one the node has loaded
   * first, then the oldest's), oldest first, marked taken by {@code node}; one statement, so that
   * replicas polling at once skip each other's rows.
   */
  List<GenerationRequest> take(UUID node, GenerationPoll poll) {
    List<GenerationRequest> taken =
        jdbc
            .sql(
                """
                with base as (
                  select base_model from generation_request
                  where state = 'queued' and pickup_deadline > clock_timestamp()
                  order by (base_model = any(?)) desc, created_at, id
                  limit 1 for update skip locked),
                picked as (
                  select g.id from generation_request g, base
                  where g.state = 'queued' and g.pickup_deadline > clock_timestamp()
                    and g.base_model = base.base_model
                  order by g.created_at, g.id
                  limit ? for update of g skip locked)
                update generation_request set state = 'taken', taken_by = ?,
                  taken_at = clock_timestamp()
                where id in (select id from picked)
                returning request, created_at
                """)
            .params(poll.loadedBaseModels().toArray(String[]::new), poll.capacity(), node)
            .query(
                (rs, row) ->
                    new Taken(
                        JSON.readValue(rs.getString("request"), GenerationRequest.class),
                        rs.getTimestamp("created_at")))
            .list()
            .stream()
            .sorted((a, b) -> a.createdAt().compareTo(b.createdAt()))
            .map(Taken::request)
            .toList();
    taken.forEach(request -> notify("t:" + request.id() + ":" + node));
    return taken;
  }

  private record Taken(GenerationRequest request, Timestamp createdAt) {}

  /** The node that took the generation; empty while it is queued or once it is gone. */
  Optional<UUID> takenBy(UUID generationId) {
    return jdbc.sql("select taken_by from generation_request where id = ? and state = 'taken'")
        .param(generationId)
        .query(UUID.class)
        .optional();
  }

  /**
   * The tenant and model of a generation {@code node} took; empty for another node's, one still
   * queued, one that ended, or one queued before the model was stored.
   */
  Optional<AskedOf> askedOf(UUID node, UUID generationId) {
    return jdbc.sql(
            "select tenant_id, model from generation_request where id = ? and state = 'taken'"
                + " and taken_by = ? and model is not null")
        .params(generationId, node)
        .query((rs, row) -> new AskedOf(rs.getObject(1, UUID.class), rs.getString(2)))
        .optional();
  }

  /**
   * Stores a chunk of a generation {@code node} took, for the replica holding its caller; false
   * when there is no such generation (it ended, its caller went away, or another node took it).
   */
  boolean post(UUID node, UUID generationId, GenerationChunk chunk) {
    int stored =
        jdbc.sql(
                "insert into generation_chunk (generation_id, idx, tenant_id, chunk, created_at)"
                    + " select id, ?, tenant_id, ?::jsonb, clock_timestamp() from generation_request"
                    + " where id = ? and taken_by = ? on conflict do nothing")
            .params(chunk.index(), JSON.writeValueAsString(chunk), generationId, node)
            .update();
    if (stored == 1) {
      notify("c:" + generationId);
      return true;
    }
    return takenBy(generationId).filter(node::equals).isPresent();
  }

  /** Takes the stored chunks of a generation, in order, with the node that took it. */
  List<Posted> drain(UUID generationId) {
    return jdbc
        .sql(
            "delete from generation_chunk c using generation_request g"
                + " where c.generation_id = ? and g.id = c.generation_id"
                + " returning c.idx, c.chunk, g.taken_by")
        .param(generationId)
        .query(
            (rs, row) ->
                new Posted(
                    JSON.readValue(rs.getString("chunk"), GenerationChunk.class),
                    rs.getObject("taken_by", UUID.class)))
        .list()
        .stream()
        .sorted((a, b) -> Integer.compare(a.chunk().index(), b.chunk().index()))
        .toList();
  }

  /**
   * Which of {@code generationIds} have chunks stored, in one query: the fallback for notifications
   * a replica missed.
   */
  Set<UUID> withChunks(Collection<UUID> generationIds) {
    if (generationIds.isEmpty()) {
      return Set.of();
    }
    return Set.copyOf(
        jdbc.sql(
                "select distinct generation_id from generation_chunk"
                    + " where generation_id = any(?::uuid[])")
            .param(generationIds.stream().map(UUID::toString).toArray(String[]::new))
            .query(UUID.class)
            .list());
  }

  /** Removes a generation and its chunks: its answer is complete or its caller went away. */
  void remove(UUID generationId) {
    jdbc.sql("delete from generation_request where id = ?").param(generationId).update();
  }

  /**
   * Marks the generations this replica holds as alive, and removes those no replica touched for
   * {@code stale} (their replica stopped: nobody waits for their answers any more).
   */
  void touchAndSweep(Collection<UUID> held, Duration stale) {
    if (!held.isEmpty()) {
      jdbc.sql(
              "update generation_request set touched_at = clock_timestamp()"
                  + " where id = any(?::uuid[])")
          .param(held.stream().map(UUID::toString).toArray(String[]::new))
          .update();
    }
    jdbc.sql("delete from generation_request where touched_at < clock_timestamp() - ?::interval")
        .param(stale.toMillis() + " milliseconds")
        .update();
  }

  private void notify(String payload) {
    jdbc.sql("select pg_notify(?, ?)").params(CHANNEL, payload).query().listOfRows();
  }
}
