/**
 * REST handlers of {@code _plugins/bicmr/_encode}, {@code _plugins/bicmr/models} and {@code _plugins/bicmr/stats}:
 * request parsing with named errors, then the transport actions of {@link org.bicmr.opensearch.model} and
 * {@link org.bicmr.opensearch.stats}. Uses OpenSearch's REST layer only.
 */
package org.bicmr.opensearch.rest;
