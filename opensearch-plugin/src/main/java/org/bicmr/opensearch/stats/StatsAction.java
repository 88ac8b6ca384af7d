package org.bicmr.opensearch.stats;

import org.opensearch.action.ActionType;

/** Collects every (or the named) node's {@link NodeStats}. */
public final class StatsAction extends ActionType<StatsResponse> {
  public static final String NAME = "cluster:monitor/bicmr/stats";
  public static final StatsAction INSTANCE = new StatsAction();

  private StatsAction() {
    super(NAME, StatsResponse::new);
  }
}
