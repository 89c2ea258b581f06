package dev.tuneforge.app.database;

import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

/**
 * Outside a transaction, a query takes a connection and gives it back at once. Spring's default
 * also binds an entity manager to a scope that only suspends a transaction (a listener that runs
 * {@code NOT_SUPPORTED}), and that entity manager holds its connection until the scope ends: a
 * look-up there, then a transaction as the job's tenant, took two connections at once. Each query
 * outside a transaction now opens its own session, as the tenant of that moment, rather than
 * sharing one opened as the tenant of the scope's first query.
 */
@Configuration(proxyBeanMethods = false)
class ConnectionUse {
  @Bean
  TransactionManagerCustomizer<AbstractPlatformTransactionManager> synchronizeActualTransactions() {
    return transactions ->
        transactions.setTransactionSynchronization(
            AbstractPlatformTransactionManager.SYNCHRONIZATION_ON_ACTUAL_TRANSACTION);
  }
}
