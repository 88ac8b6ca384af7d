package org.bicmr.opensearch.model;

import org.opensearch.action.ActionType;

/** Encodes a text or an image feature vector on the node that receives the request (query rewrite, REST). */
public final class EncodeAction extends ActionType<EncodeResponse> {
  public static final String NAME = "cluster:admin/bicmr/encode";
  public static final EncodeAction INSTANCE = new EncodeAction();

  private EncodeAction() {
    super(NAME, EncodeResponse::new);
  }
}
