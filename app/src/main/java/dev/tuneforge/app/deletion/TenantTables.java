package dev.tuneforge.app.deletion;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which tables hold a tenant's rows, read from PostgreSQL's catalogue at the time of the removal,
 * so that a table a later migration adds is never forgotten: every table with a {@code tenant_id}
 * or {@code owner_tenant_id} column or a foreign key to {@code tenant}, in an order that deletes
 * referencing rows before the rows they reference, each with the tables (without a tenant column)
 * whose rows point at it.
 */
final class TenantTables {
  static final String TENANT = "tenant";

  /**
   * Tables whose rows outlive their tenant by design: the audit log is append-only (V042) and keeps
   * a deleted tenant's records, its deletion among them.
   */
  static final Set<String> KEPT = Set.of("audit_record");

  /** A table of tenant rows: its rows of a tenant are those whose {@code column} is its id. */
  record TenantTable(String name, String column, List<Dependent> dependents) {}

  /** Rows of {@code table} whose {@code column} refers to {@code referenced} of a tenant row. */
  record Dependent(String table, String column, String referenced) {}

  private record ForeignKey(
      String child, String column, String parent, String referenced, boolean cascades) {}

  private final JdbcClient jdbc;

  TenantTables(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The tenant tables, referencing ones first; {@code tenant} itself is not among them. */
  List<TenantTable> inDeletionOrder() {
    Map<String, String> columns = tenantColumns();
    List<ForeignKey> keys = foreignKeys();
    Map<String, Set<String>> referencedBy = new HashMap<>();
    Map<String, List<Dependent>> dependents = new HashMap<>();
    for (ForeignKey key : keys) {
      if (!columns.containsKey(key.parent()) || key.child().equals(key.parent())) {
        continue;
      }
      if (columns.containsKey(key.child())) {
        referencedBy.computeIfAbsent(key.parent(), p -> new TreeSet<>()).add(key.child());
      } else if (!key.cascades()) {
        if (key.column().isEmpty()) {
          throw new IllegalStateException(
              key.child()
                  + " refers to "
                  + key.parent()
                  + " with several columns; add it a tenant column");
        }
        dependents
            .computeIfAbsent(key.parent(), p -> new ArrayList<>())
            .add(new Dependent(key.child(), key.column(), key.referenced()));
      }
    }
    List<TenantTable> order = new ArrayList<>();
    Map<String, Integer> waiting = new TreeMap<>();
    columns.keySet().forEach(table -> waiting.put(table, 0));
    referencedBy.forEach((parent, children) -> waiting.put(parent, children.size()));
    Deque<String> ready = new ArrayDeque<>();
    waiting.forEach(
        (table, count) -> {
          if (count == 0) {
            ready.add(table);
          }
        });
    while (!ready.isEmpty()) {
      String table = ready.poll();
      order.add(
          new TenantTable(table, columns.get(table), dependents.getOrDefault(table, List.of())));
      for (ForeignKey key : keys) {
        if (key.child().equals(table)
            && !key.parent().equals(table)
            && columns.containsKey(key.parent())
            && referencedBy.get(key.parent()).remove(table)
            && referencedBy.get(key.parent()).isEmpty()) {
          ready.add(key.parent());
        }
      }
    }
    if (order.size() != columns.size()) {
      throw new IllegalStateException(
          "Tenant tables reference each other in a cycle; cannot order their deletion: "
              + referencedBy);
    }
    return order;
  }

  /** Table to its tenant column, for every table but {@code tenant} itself. */
  private Map<String, String> tenantColumns() {
    Map<String, String> columns = new LinkedHashMap<>();
    jdbc.sql(
            """
            select c.table_name, c.column_name
            from information_schema.columns c
            join information_schema.tables t
              on t.table_schema = c.table_schema and t.table_name = c.table_name
            where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
              and c.column_name in ('tenant_id', 'owner_tenant_id')
            order by c.table_name, c.column_name desc
            """)
        .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
        .list()
        .forEach(entry -> columns.putIfAbsent(entry.getKey(), entry.getValue()));
    columns.keySet().removeAll(KEPT);
    for (ForeignKey key : foreignKeys()) {
      if (key.parent().equals(TENANT)
          && !key.child().equals(TENANT)
          && !KEPT.contains(key.child())) {
        columns.putIfAbsent(key.child(), key.column());
      }
    }
    return columns;
  }

  private List<ForeignKey> foreignKeys() {
    List<ForeignKey> keys =
        jdbc.sql(
                """
                select child.relname, ca.attname, parent.relname, pa.attname,
                       con.confdeltype = 'c', cardinality(con.conkey)
                from pg_constraint con
                join pg_class child on child.oid = con.conrelid
                join pg_class parent on parent.oid = con.confrelid
                join pg_namespace ns on ns.oid = child.relnamespace
                join pg_attribute ca on ca.attrelid = con.conrelid and ca.attnum = con.conkey[1]
                join pg_attribute pa on pa.attrelid = con.confrelid and pa.attnum = con.confkey[1]
                where con.contype = 'f' and ns.nspname = current_schema()
                order by child.relname, con.conname
                """)
            .query(
                (rs, n) ->
                    rs.getInt(6) == 1
                        ? new ForeignKey(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getBoolean(5))
                        : new ForeignKey(
                            rs.getString(1), "", rs.getString(3), "", rs.getBoolean(5)))
            .list();
    return keys;
  }
}
