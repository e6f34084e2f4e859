ALTER TABLE `mail_message` ADD `recipient_user_id` text REFERENCES user(id);--> statement-breakpoint
CREATE INDEX `mail_recipient_idx` ON `mail_message` (`recipient_user_id`,`created_at`,`id`);--> statement-breakpoint
UPDATE `mail_message` SET `recipient_user_id` = (SELECT `id` FROM `user` WHERE lower(`user`.`email`) = lower(`mail_message`.`to`) OR lower(`user`.`mssante_address`) = lower(`mail_message`.`to`) LIMIT 1);--> statement-breakpoint
UPDATE `mail_message` SET `text` = '[Texte retiré : il contenait un lien personnel, qui ne part que par messagerie sécurisée.]', `html` = NULL WHERE `text` LIKE '%/invitation/%' OR `text` LIKE '%/reply/%' OR `html` LIKE '%/invitation/%' OR `html` LIKE '%/reply/%';
