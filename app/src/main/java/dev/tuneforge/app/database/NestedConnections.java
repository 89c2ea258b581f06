package dev.tuneforge.app.database;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * A diagnostic, on with {@code tuneforge.database.report-nested-connections=true}: notices each
 * place where a thread takes a database connection while it already holds one, logs it once (a
 * warning with the app's frames of the call) and keeps it for {@link #seen()}. Threads that hold a
 * connection of their own on purpose show up too: dispatch under its lock, a background task's
 * slot, serving's listener. Each of those is one thread per replica or per background slot, so it
 * cannot hold the whole pool; a request or event-listener thread can, as there are as many as there
 * are requests and events.
 */
@Component
@ConditionalOnBooleanProperty("tuneforge.database.report-nested-connections")
public class NestedConnections implements BeanPostProcessor {
  private static final Logger log = LoggerFactory.getLogger(NestedConnections.class);
  private static final int KEPT = 200;

  /** A thread (its name) that took a second connection, and the app's frames of that call. */
  public record Nesting(String thread, List<String> frames) {}

  private final ThreadLocal<int[]> held = ThreadLocal.withInitial(() -> new int[1]);
  private final Map<List<String>, Nesting> seen = new ConcurrentHashMap<>();

  /** Every place seen so far, once each (the first thread that took it). */
  public List<Nesting> seen() {
    return List.copyOf(seen.values());
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof DataSource dataSource) || bean instanceof DelegatingDataSource) {
      return bean;
    }
    return new DelegatingDataSource(dataSource) {
      @Override
      public Connection getConnection() throws SQLException {
        return counted(super.getConnection());
      }

      @Override
      public Connection getConnection(String username, String password) throws SQLException {
        return counted(super.getConnection(username, password));
      }
    };
  }

  private Connection counted(Connection connection) {
    int[] count = held.get();
    if (count[0] > 0) {
      report(count[0]);
    }
    count[0]++;
    boolean[] closed = {false};
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close") && !closed[0]) {
                closed[0] = true;
                count[0]--;
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private void report(int holding) {
    List<String> frames =
        Arrays.stream(new Throwable().getStackTrace())
            .filter(frame -> frame.getClassName().startsWith("dev.tuneforge."))
            .filter(frame -> !frame.getClassName().startsWith(NestedConnections.class.getName()))
            .map(StackTraceElement::toString)
            .toList();
    if (seen.size() >= KEPT || seen.containsKey(frames)) {
      return;
    }
    String thread = Thread.currentThread().getName();
    if (seen.putIfAbsent(frames, new Nesting(thread, frames)) == null) {
      log.warn(
          "Thread {} takes a database connection while it holds {}, at\n  {}",
          thread,
          holding,
          frames.stream().collect(Collectors.joining("\n  ")));
    }
  }
}
