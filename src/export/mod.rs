//! Deployable configuration renderers (barman.conf, server files, PostgreSQL
//! settings, cron entries, drill scripts). Filled by `drplan export`.
