package org.bicmr.opensearch.model;

import org.opensearch.action.ActionType;

/** Lists the node's model bundles: bits, dimensions, metrics, device. */
public final class ModelsAction extends ActionType<ModelsResponse> {
  public static final String NAME = "cluster:monitor/bicmr/models";
  public static final ModelsAction INSTANCE = new ModelsAction();

  private ModelsAction() {
    super(NAME, ModelsResponse::new);
  }
}
