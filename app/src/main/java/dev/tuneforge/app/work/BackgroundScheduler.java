package dev.tuneforge.app.work;

import java.util.Properties;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.quartz.autoconfigure.QuartzProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;
import org.springframework.scheduling.quartz.SpringBeanJobFactory;
import org.springframework.stereotype.Component;

/**
 * A Quartz scheduler of its own for background work: same clustered JDBC store and settings as the
 * app's scheduler, under the name {@value #NAME} and with {@code tuneforge.background.threads}
 * threads. Dispatch and node liveness keep the app scheduler's threads, so a tenant's long token
 * count or teacher run never delays them. Not a Spring bean of type {@link Scheduler}, so every
 * other injection point keeps the app's scheduler.
 */
@Component
@EnableConfigurationProperties(BackgroundProperties.class)
class BackgroundScheduler implements SmartLifecycle {
  static final String NAME = "tuneforgeBackground";
  static final String THREAD_PREFIX = "background-work";

  private final SchedulerFactoryBean factory = new SchedulerFactoryBean();
  private final Scheduler scheduler;

  BackgroundScheduler(
      DataSource dataSource,
      QuartzProperties quartz,
      BackgroundProperties properties,
      ApplicationContext context)
      throws Exception {
    Properties settings = new Properties();
    settings.putAll(quartz.getProperties());
    settings.setProperty("org.quartz.threadPool.threadCount", String.valueOf(properties.threads()));
    settings.setProperty("org.quartz.threadPool.threadNamePrefix", THREAD_PREFIX);
    SpringBeanJobFactory jobs = new SpringBeanJobFactory();
    jobs.setApplicationContext(context);
    factory.setSchedulerName(NAME);
    factory.setDataSource(dataSource);
    factory.setQuartzProperties(settings);
    factory.setJobFactory(jobs);
    factory.setApplicationContext(context);
    factory.setAutoStartup(false);
    factory.setBeanName(NAME);
    factory.afterPropertiesSet();
    scheduler = factory.getObject();
  }

  Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public void start() {
    factory.start();
  }

  @Override
  public void stop() {
    factory.stop();
  }

  @Override
  public boolean isRunning() {
    return factory.isRunning();
  }

  /** Shuts Quartz down after the app stops; before the database pool closes. */
  @jakarta.annotation.PreDestroy
  void shutDown() throws SchedulerException {
    factory.destroy();
  }
}
