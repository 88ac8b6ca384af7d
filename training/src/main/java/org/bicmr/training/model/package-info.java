/**
 * Bi-CMR's networks and training in DJL: configurations of the paper's, the released and the recommended variant,
 * the image, text and label nets, the trainer with its checkpoints and epoch selection on the validation split, the
 * saved model directory, and the nets the baselines share. Uses DJL, the data package and the loss package (whose
 * objective reads the networks' outputs).
 */
package org.bicmr.training.model;
