"""PostgreSQL as Django runs it, but a kept connection is health-checked only after it rested.

With CONN_HEALTH_CHECKS Django sends a round trip (SELECT 1) before the first statement of
every request, to find a kept connection the server dropped while it lay unused (a restart,
an idle timeout, a failover). A busy worker starts its next request milliseconds after the
last one used the connection: there the check finds nothing and costs a round trip, about
4 % of an uncached category page's CPU (bench/BENCHMARKS.md). So a connection that ran
statements in a request that ended less than CHECK_AFTER_REST_SECONDS ago is not checked.
One that was dropped within that second fails the request that uses it and is closed at its
end, as after any database error. PgBouncer spares its recently used server connections
the same way (server_check_delay).
"""

import time

from django.db.backends.postgresql import base

CHECK_AFTER_REST_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    # When the last request that ran statements on this connection ended (time.monotonic).
    rested_since: float | None = None

    def close_if_unusable_or_obsolete(self):
        # Django calls this as each request starts and ends; the health check (or a new
        # connection) has been done in between if and only if the request ran statements.
        used = self.health_check_done
        super().close_if_unusable_or_obsolete()
        if self.connection is None:
            self.rested_since = None
        elif used:
            self.rested_since = time.monotonic()

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.rested_since is not None
            and time.monotonic() - self.rested_since < CHECK_AFTER_REST_SECONDS
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
