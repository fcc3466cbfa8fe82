// The world's countries (Natural Earth 1:110m, TopoJSON) from the world-atlas package, for the maps.
import { writeWorldAtlas } from "../../loaders/site.js";

await writeWorldAtlas();
