//! One integration-test binary: fixture sites built in temporary folders.

mod attacks;
mod build;
mod catalogue;
mod charts;
mod cli;
mod corrections;
mod coverage;
mod data;
mod errors;
mod example;
mod fresh;
mod harness;
mod images;
mod layers;
mod output;
mod pdf;
mod pdf_cache;
mod pdf_print;
mod places;
mod publishing;
mod reliability;
mod schedule;
mod serve;
mod sheets;
mod values;
mod wellformed;
