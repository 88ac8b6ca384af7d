/**
 * The Open Clip Art dataset: scans Debian's openclipart packages, reads each drawing's SVG title and keywords, and
 * writes a catalog with folder categories as labels. Part of the image tree; uses Gson and the data package.
 */
package org.bicmr.training.images.clipart;
