package org.bicmr.opensearch.reload;

import org.opensearch.action.ActionType;

/** Has every (or the named) node read its models directory again. */
public final class ReloadAction extends ActionType<ReloadResponse> {
  /** The action's name (a cluster admin action: it changes what every node serves). */
  public static final String NAME = "cluster:admin/bicmr/models/reload";
  /** The one instance. */
  public static final ReloadAction INSTANCE = new ReloadAction();

  private ReloadAction() {
    super(NAME, ReloadResponse::new);
  }
}
