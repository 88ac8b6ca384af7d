/**
 * {@code POST _plugins/bicmr/models/_reload}: every node reads its models directory again and swaps its model
 * registry whole (a nodes action, like the stats), refusing a bundle whose code length differs from a field mapped to
 * its name; the answer says, per node, which models it now serves and how, which were removed and which failed.
 */
package org.bicmr.opensearch.reload;
