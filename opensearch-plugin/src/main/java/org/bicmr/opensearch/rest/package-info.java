/**
 * REST handlers of {@code _plugins/bicmr/_encode} and {@code _plugins/bicmr/models}: request parsing with named
 * errors, then the transport actions of {@link org.bicmr.opensearch.model}. Uses OpenSearch's REST layer only.
 */
package org.bicmr.opensearch.rest;
