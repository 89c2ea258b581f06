package dev.tuneforge.app.usage;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How fast a node class ran recent finished jobs, across tenants (a figure about hardware): the
 * jobs that ran in one stretch and were estimated at launch, newest first. Each gives its training
 * speed (tokens over the time its steps took), the time around the steps (start-up and delivery),
 * its generation speed and the tokens both models generated per held-out example.
 */
@Component
class PastJobs {
  /** How many recent jobs of a class the statistics look at. */
  static final int RECENT = 20;

  /**
   * One finished job's figures; generation figures are NaN without an evaluation. {@code
   * workPerToken} is what one of its trained tokens took ({@link TokenWork}).
   */
  record Job(
      long parameters,
      String method,
      double workPerToken,
      double tokensPerSecond,
      double overheadSeconds,
      double generatedPerSecond,
      double generatedPerExample) {

    /** Trained tokens per second scaled to a job whose tokens take {@code work} each. */
    double tokensPerSecondFor(double work) {
      return tokensPerSecond * workPerToken / work;
    }

    double generatedPerSecondFor(long params) {
      return generatedPerSecond * parameters / params;
    }
  }

  /**
   * What the recent jobs say for a job of {@code parameters} by {@code method} whose tokens take
   * {@code work} each: medians over the jobs most like it (same size and method, else same size,
   * else any), each scaled to it; NaN where no job says anything.
   */
  record Speeds(
      double tokensPerSecond,
      double overheadSeconds,
      double generatedPerSecond,
      double generatedPerExample,
      int trainingJobs,
      int evaluationJobs) {}

  private final JdbcClient jdbc;
  private final List<StepSpans> spans;

  PastJobs(JdbcClient jdbc, List<StepSpans> spans) {
    this.jdbc = jdbc;
    this.spans = spans;
  }

  Speeds speeds(String nodeClass, long parameters, String method, double work) {
    return speeds(recent(nodeClass), parameters, method, work);
  }

  static Speeds speeds(List<Job> jobs, long parameters, String method, double work) {
    List<Job> training =
        closest(jobs, j -> j.parameters == parameters && j.method.equals(method), parameters);
    List<Job> evaluated =
        closest(
            jobs.stream().filter(j -> !Double.isNaN(j.generatedPerSecond)).toList(),
            j -> j.parameters == parameters,
            parameters);
    List<Job> timed = training.stream().filter(j -> !Double.isNaN(j.overheadSeconds)).toList();
    return new Speeds(
        median(training, j -> j.tokensPerSecondFor(work)),
        median(timed, Job::overheadSeconds),
        median(evaluated, j -> j.generatedPerSecondFor(parameters)),
        median(
            evaluated.stream().filter(j -> j.parameters == parameters).toList(),
            Job::generatedPerExample),
        training.size(),
        evaluated.size());
  }

  private static List<Job> closest(List<Job> jobs, Predicate<Job> best, long parameters) {
    List<Job> same = jobs.stream().filter(best).toList();
    if (!same.isEmpty()) {
      return same;
    }
    List<Job> sameSize = jobs.stream().filter(j -> j.parameters == parameters).toList();
    return sameSize.isEmpty() ? jobs : sameSize;
  }

  static double median(List<Job> jobs, ToDoubleFunction<Job> value) {
    double[] values = jobs.stream().mapToDouble(value).filter(Double::isFinite).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  private List<Job> recent(String nodeClass) {
    List<Metered> rows =
        jdbc.sql(
                """
            select e.job_id, e.base_model_params, e.method, e.evaluation_examples,
                   t.seconds, t.trained_tokens, v.seconds, v.trained_tokens, e.work_per_token
            from (select job_id, node_class, max(base_model_params) as base_model_params,
                         max(method) as method, max(evaluation_examples) as evaluation_examples,
                         max(work_per_token) as work_per_token
                  from job_estimate group by job_id, node_class) e
            join usage_record t on t.job_id = e.job_id and t.node_class = e.node_class
                 and t.kind = 'training' and t.ended_at is not null and t.trained_tokens > 0
                 and t.seconds > 0
            left join usage_record v on v.job_id = e.job_id and v.kind = 'evaluation'
            where e.node_class = ?
              and (e.evaluation_examples = 0 or v.id is not null)
              and not exists (select 1 from usage_record o where o.job_id = e.job_id
                              and o.kind = 'training' and o.id <> t.id)
            order by t.ended_at desc
            limit ?
            """)
            .params(nodeClass, RECENT)
            .query(
                (rs, row) ->
                    new Metered(
                        rs.getObject(1, UUID.class),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getObject(9, Double.class)))
            .list();
    // spans are looked up once the rows are read, all in one go: a look-up from inside the row
    // mapper would take a second database connection while the query still holds the first
    Map<UUID, StepSpans.StepSpan> found = new HashMap<>();
    List<UUID> ids = rows.stream().map(Metered::jobId).toList();
    for (StepSpans known : spans) {
      known.of(ids).forEach(found::putIfAbsent);
    }
    return rows.stream().map(metered -> job(metered, found.get(metered.jobId()))).toList();
  }

  /**
   * What was metered of a job: its training ({@code seconds}, {@code tokens}) and evaluation, and
   * the shape of its work.
   */
  record Metered(
      UUID jobId,
      long parameters,
      String method,
      int examples,
      long seconds,
      long tokens,
      long evaluationSeconds,
      long generated,
      @Nullable Double workPerToken) {}

  /**
   * One job's figures from its metered training ({@code seconds}, {@code tokens}) and evaluation,
   * and its steps' span when known: the training speed is the span's, and the time around the steps
   * is what the metered seconds hold beyond every trained token at that speed; without a span the
   * speed is the metered one and the time around the steps unknown (NaN).
   */
  static Job job(Metered metered, StepSpans.@Nullable StepSpan span) {
    long seconds = metered.seconds();
    long tokens = metered.tokens();
    long parameters = metered.parameters();
    long generated = metered.generated();
    double stepSeconds = span == null ? Double.NaN : span.duration().toMillis() / 1000.0;
    boolean timed =
        span != null && span.tokens() > 0 && stepSeconds > 0 && stepSeconds <= seconds + 1;
    double speed = timed ? span.tokens() / stepSeconds : (double) tokens / seconds;
    double generatedPerSecond =
        metered.evaluationSeconds() > 0 && generated > 0
            ? (double) generated / metered.evaluationSeconds()
            : Double.NaN;
    String method = metered.method();
    Double workPerToken = metered.workPerToken();
    return new Job(
        parameters,
        method,
        // An estimate stored without its work per token is scaled by its parameters alone.
        workPerToken != null ? workPerToken : TokenWork.perToken(null, parameters, method, 0),
        speed,
        timed ? Math.max(0, seconds - tokens / speed) : Double.NaN,
        generatedPerSecond,
        metered.examples() > 0 && generated > 0
            ? (double) generated / metered.examples()
            : Double.NaN);
  }

  static String describe(Speeds s) {
    return String.format(
        Locale.ROOT,
        "%d recent job%s trained, %d evaluated",
        s.trainingJobs(),
        s.trainingJobs() == 1 ? "" : "s",
        s.evaluationJobs());
  }
}
